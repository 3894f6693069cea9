"""theanolint: lint Theano functions on the graph a GPU would really run.

Only :func:`register` is public API for model code.  It is cheap to import:
Theano is not imported here, because the engine must set Theano's flags before
Theano is imported (that happens in a worker process).
"""

from theanolint.builders import register

__version__ = "0.1.0"
__all__ = ["register", "__version__"]
