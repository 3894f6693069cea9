"""Where theanolint keeps files between runs."""

import os


def user_cache_dir() -> str:
    """Per-user cache for built libraries and Theano's compile directories."""
    override = os.environ.get("THEANOLINT_CACHE_DIR")
    if override:
        return override
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "theanolint")
