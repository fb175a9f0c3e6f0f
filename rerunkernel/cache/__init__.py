"""`rk.cache`: an exact cache keyed by code, dependencies, files and arguments.

`api.py` is the decorator; `deps.py` the code and globals a result depends on;
`file_records.py` the files it read; `hashing.py` (with `arrays.py` and `frames.py`) exact
content digests; `store.py` memory and disk; `spinner.py` the line shown during a slow miss.
"""

from .api import CachedFunction, CacheInfo, EntryInfo, cache
from .errors import CachedObjectMutationWarning, UnhashableParamError

__all__ = [
    "CacheInfo",
    "CachedFunction",
    "CachedObjectMutationWarning",
    "EntryInfo",
    "UnhashableParamError",
    "cache",
]
