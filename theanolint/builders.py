"""Registration of function builders.

Outside theanolint, ``@register`` hands the builder back untouched, so marking
model code costs nothing at import.  Inside a theanolint worker, registration
records the builder so that the worker can run it under capture.
"""

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

# Set by the worker before it imports user modules; None outside theanolint.
_collected: Optional[List["Registration"]] = None


class ShapeError(Exception):
    """A declared shape does not fit the graph (unknown dim, wrong rank): exit 2."""


@dataclass
class Registration:
    name: str
    builder: Callable[..., Any]
    path: str
    line: int
    shapes: Dict[str, Tuple[Any, ...]] = field(default_factory=dict)


def register(name: Optional[str] = None, shapes: Optional[Dict[str, Tuple[Any, ...]]] = None) -> Any:
    """Mark ``builder`` as making Theano functions that theanolint should lint."""

    def decorate(builder: Callable[..., Any]) -> Callable[..., Any]:
        if _collected is not None:
            code = builder.__code__
            _collected.append(
                Registration(
                    name=name or f"{builder.__module__}.{builder.__qualname__}",
                    builder=builder,
                    path=inspect.getsourcefile(builder) or code.co_filename,
                    line=code.co_firstlineno,
                    shapes=dict(shapes or {}),
                )
            )
        return builder

    if callable(name):  # bare @register
        builder, name = name, None
        return decorate(builder)
    return decorate


def declare_shape(variable: Any, shape: Tuple[Any, ...]) -> Any:
    """Declare the shape of an input the builder made (``declare_shape(x, ("batch", 784))``)
    for memory prediction, where it has no stable name: an unnamed ``T.matrix()``, a
    framework's input layer.  Returns ``variable``; outside theanolint it only tags it."""
    variable.tag.theanolint_shape = tuple(shape)
    return variable


def start_collecting() -> List[Registration]:
    """Record registrations from now on (worker only); returns the live list."""
    global _collected
    _collected = []
    return _collected
