"""The configuration: loading ``.theanolint.yaml``, its schema, sizes."""
