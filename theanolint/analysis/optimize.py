"""Optimize captured functions exactly as Theano would, without linking.

``FunctionMaker``'s constructor runs the mode's optimizer; C compilation
happens only in ``create()``, which theanolint never calls.  Inner graphs
(scan, OpFromGraph) are optimized by Theano only when their op is linked, so
we run the op's own preparation until it asks for its inner function, capture
that request and optimize it the same way.
"""

import time
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from theano.compile.builders import OpFromGraph
from theano.compile.function_module import FunctionMaker, convert_function_input
from theano.scan_module.scan_op import Scan

from theanolint.analysis import capture
from theanolint.analysis.capture import CapturedFunction
from theanolint.findings import Location

# Tries before a failure of Theano's optimizer is reported (TL002): one seen once
# and not again is not the graph's fault, and must not land in the result cache.
ATTEMPTS = 2


@dataclass
class Optimized:
    maker: FunctionMaker
    seconds: float

    @property
    def fgraph(self):
        return self.maker.fgraph


def optimize(record: CapturedFunction) -> Optimized:
    """Run Theano's optimizer on a captured function, as ``orig_function`` would."""
    start = time.perf_counter()
    inputs = [convert_function_input(i) for i in record.inputs]
    outputs = record.outputs
    if outputs is not None:
        if isinstance(outputs, (list, tuple)):
            outputs = [FunctionMaker.wrap_out(o) for o in outputs]
        else:
            outputs = FunctionMaker.wrap_out(outputs)
    maker_class = getattr(record.mode, "function_maker", FunctionMaker)
    maker = maker_class(
        inputs,
        outputs,
        record.mode,
        accept_inplace=record.accept_inplace,
        profile=record.profile,
        on_unused_input=record.on_unused_input,
        output_keys=record.output_keys,
        name=record.name,
    )
    return Optimized(maker, time.perf_counter() - start)


class OptimizeError(Tuple[str, Location]):
    """``LintedFunction.optimize_error``'s ``(message, where)``, with what the one-line
    message leaves out (TL002's data): the exception's type, text and innermost
    frames, and how many times the optimizer failed."""

    exception: Dict[str, Any]
    attempts: int

    def __new__(cls, message: str, where: Location, exception: Dict[str, Any], attempts: int) -> "OptimizeError":
        self = super().__new__(cls, (message, where))
        self.exception, self.attempts = exception, attempts
        return self


class _InnerRequest(Exception):
    def __init__(self, record):
        super().__init__("inner function captured")
        self.record = record


def _capture_inner(prepare) -> Optional[CapturedFunction]:
    def stop(record):
        raise _InnerRequest(record)

    try:
        with capture.capturing(on_capture=stop):
            prepare()
    except _InnerRequest as request:
        return request.record
    return None


def inner_function(node) -> Optional[CapturedFunction]:
    """The inner function Theano would compile when linking ``node``, if any."""
    op = node.op
    if isinstance(op, Scan):
        maps = {v: [None] for v in node.inputs + node.outputs}
        return _capture_inner(lambda: op.make_thunk(node, maps, dict(maps), []))
    if isinstance(op, OpFromGraph):
        if hasattr(op, "fn"):
            del op.fn
        return _capture_inner(lambda: op.prepare_node(node, {}, {}, "py"))
    return None


def has_inner_graph(node) -> bool:
    return isinstance(node.op, (Scan, OpFromGraph))
