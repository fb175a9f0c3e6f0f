"""Files as triggers: watching saved files and the saved notebook, fetching URL apps."""
