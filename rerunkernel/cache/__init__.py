"""`rk.cache`: an exact cache keyed by code, dependencies, files and arguments.

`api.py` is the decorator; `store.py` memory and disk, `remote.py` (with `signing.py`) a
store shared through object storage; `replay.py` what a cached call drew; `spinner.py` the
line shown during a slow miss; `names.py` Streamlit's `cache_data`/`cache_resource`. What a
key is made of (code, globals, arguments, files) is `fingerprint/`, shared with the rerun
mode that reuses cells.
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
