"""Signing in and connections, which need Streamlit's server.

`st.login` runs an OpenID Connect flow through Streamlit's web server, and `st.connection`
builds on its secrets and resource cache with connection classes of its own; a kernel has
neither. `rk.user` answers as Streamlit does for a visitor who has not signed in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NoReturn


def login(provider: str | None = None) -> NoReturn:
    raise NotImplementedError(
        "rk.login(): signing in goes through Streamlit's own web server, which a Jupyter "
        "kernel doesn't have; JupyterHub's user is in the JUPYTERHUB_USER environment "
        "variable."
    )


def logout() -> NoReturn:
    raise NotImplementedError("rk.logout(): there is no Streamlit sign-in to end in Jupyter")


def connection(name: str, type: Any = None, **kwargs: Any) -> NoReturn:  # noqa: A002
    raise NotImplementedError(
        f"rk.connection({name!r}): Streamlit's connections need its server; open the "
        "connection with its own library inside an @rk.cache_resource function instead."
    )


class User(Mapping):
    """A visitor who has not signed in: `is_logged_in` is False and nothing else is known."""

    def __getitem__(self, key: str) -> Any:
        if key == "is_logged_in":
            return False
        raise KeyError(f"rk.user has no {key!r}: nobody signs in to a Jupyter kernel")

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError as error:
            raise AttributeError(str(error)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(["is_logged_in"])

    def __len__(self) -> int:
        return 1

    def to_dict(self) -> dict[str, Any]:
        return {"is_logged_in": False}


user = User()
experimental_user = user
