"""What theanolint keeps between runs: per-function results, whole runs, the user cache folder."""
