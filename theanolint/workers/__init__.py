"""Worker processes: the parent's runner and pool, the worker's main, its isolation and limits."""
