"""The stub libraries ``loader.preload`` loaded into this process, by file name.

Its own module so that ``guard`` (which ``dnn`` needs, which ``loader`` needs)
can look them up without importing ``loader``.
"""

import ctypes
from typing import Dict, Optional

# library file name -> the ctypes.CDLL preload() loaded it as
LIBRARIES: Dict[str, ctypes.CDLL] = {}


def library(name: str) -> Optional[ctypes.CDLL]:
    """The stub ``name`` (e.g. "libcuda.so") if ``loader.preload`` loaded it."""
    return LIBRARIES.get(name)
