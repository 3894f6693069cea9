"""theanolint: lint Theano functions on the graph a GPU would really run.

Only :func:`register` and :func:`declare_shape` are public API for model code.  It is cheap to import:
Theano is not imported here, because the engine must set Theano's flags before
Theano is imported (that happens in a worker process).
"""

from theanolint.builders import declare_shape, register

__version__ = "0.1.0"
__all__ = ["declare_shape", "register", "__version__"]
