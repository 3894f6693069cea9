"""Built-in rules, one module per code (installed as ``theanolint.rules``)."""
