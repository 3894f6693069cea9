"""A function's predicted GPU memory does not fit the budget.

What it does: Predicts the function's peak GPU memory from the optimized
graph and the known input shapes (test values, shapes declared at
registration, shared variables), replaying the order and garbage collection
of Theano's VM, and reports it when the peak working set plus the resident
inputs and shared variables exceeds the budget (config ``budget:``, default
the target device's memory).

A prediction that rests on an assumed size (``memory.unknown_dim``: a
dimension no shape rule or declaration gives) is not reported; ``--memory``
shows it, with the op that made it an assumption.

Why is this bad: Theano reports an out-of-memory error only after minutes
of compiling, on the GPU, at the first call with real data.

Example:
    @theanolint.register(name="lm.train", shapes={"x": ("batch", 482112)})
    # with dims: {batch: 512} on a 16 GiB device

Use instead: A smaller batch (``theanolint --fit batch`` finds the largest
that fits), fewer or smaller intermediates, or a device with more memory.

What it leaves out: predictions that rest on an assumed size, anywhere
upstream (memory.unknown_dim; --memory shows them and why). State a framework or
Theano makes (optimizer slots, random state) is counted: it takes memory
whoever made it.
"""

from theanolint.report.memory import size

CODE = "TL501"
NAME = "memory-over-budget"
SEVERITY = "error"
NEEDS = {"memory"}  # the memory prediction


def check(function, options):
    prediction = function.memory
    if prediction is None or prediction.assumed or prediction.total_gpu <= function.budget:
        return  # a total built on assumed sizes is shown by --memory, not reported
    largest = prediction.largest(1)
    biggest = (
        f"; the largest buffer is {size(largest[0].nbytes)} at {function.where(largest[0].var)}" if largest else ""
    )
    yield function.finding(
        function.call_site,
        f"predicted GPU memory {size(prediction.total_gpu)} "
        f"(peak working set {size(prediction.peak[1])} + resident "
        f"{size(prediction.resident[1])}) exceeds the budget of "
        f"{size(function.budget)}{biggest}",
        bytes=prediction.total_gpu,
        budget=function.budget,
        key="total",
        framework=False,  # the whole function does not fit, whoever made its parts
    )
