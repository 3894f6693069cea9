"""Predicted peak GPU memory against Theano's own profile_memory measurement.

    .venv/bin/python benchmarks/memory_accuracy.py

For each case of memory_models.py and each size, in a worker process on the
OpenCL device (PoCL): compile with ``theano.function(..., profile=...)`` under
``profile=True, profile_memory=True``, run once, read Theano's "Max peak memory
with current setting" (GPU; like theanolint's peak working set it leaves out
inputs and shared variables), and predict the same function's peak with
theanolint's memory model from the input shapes alone.  Prints predicted,
measured and the relative error; the goal is within 5% and never below.
"""
import io
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Case (in memory_models.py) -> sizes of its leading dimension.
SIZES = {"mlp_train": [256, 2048, 8192], "mlp_predict": [256, 2048, 8192],
         "embedding_update": [1024, 16384, 131072], "views_and_inplace": [256, 2048, 8192],
         "transpose_then_reduce": [256, 2048]}


def measure(case, size):
    import numpy as np
    import theano
    from theano.compile.profiling import ProfileStats
    from theanolint import graph, memory
    import memory_models

    inputs, outputs, updates, values = memory_models.CASES[case](size)
    profile = ProfileStats(atexit_print=False)
    function = theano.function(inputs, outputs, updates=updates, profile=profile)
    function(*values)
    text = io.StringIO()
    profile.summary_memory(text, N=1)     # N=None crashes in Theano 1.0.5
    section = text.getvalue().split("Max peak memory with current setting\n", 1)[1]
    executed_kb, toposort_kb = map(int, re.search(r"GPU: (\d+)KB \((\d+)KB\)", section).groups())
    fgraph = function.maker.fgraph
    known = {var: tuple(np.shape(value)) for var, value in zip(fgraph.inputs, values)}
    predicted = memory.predict(graph.build_scopes(fgraph), known, unknown_dim=1024).peak[memory.GPU]
    return {"case": case, "size": size, "predicted": predicted,
            "measured": executed_kb * 1024, "measured_toposort": toposort_kb * 1024}


def worker(case, sizes):
    sys.path.insert(0, HERE)
    from theanolint.target import Target, start_theano
    start_theano(Target("opencl", "opencl0:0"))
    for size in sizes:
        try:
            print(json.dumps(measure(case, size)), flush=True)
        except Exception as error:           # e.g. a kernel PoCL cannot build
            print(json.dumps({"case": case, "size": size,
                              "error": f"{type(error).__name__}: {str(error)[:200]}"}), flush=True)


def main():
    from theanolint.target import Target
    env = dict(os.environ, **Target("opencl", "opencl0:0").environment())
    env["THEANO_FLAGS"] += ",profile=True,profile_memory=True"
    env["CUDA_LAUNCH_BLOCKING"] = "1"         # Theano refuses to profile asynchronous GPU runs
    print(f"{'case':<20} {'size':>7} {'predicted':>12} {'measured':>12} {'error':>8}")
    worst = 0.0
    for case, sizes in SIZES.items():
        process = subprocess.run([sys.executable, __file__, "--worker", case, *map(str, sizes)],
                                 env=env, capture_output=True, text=True)
        rows = [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]
        if not rows:
            print(f"{case:<20} failed: {process.stderr.strip().splitlines()[-1:]}")
        for row in rows:
            if "error" in row:
                print(f"{case:<20} {row['size']:>7} could not run: {row['error']}")
                continue
            error = (row["predicted"] - row["measured"]) / row["measured"]
            worst = max(worst, abs(error))
            print(f"{case:<20} {row['size']:>7} {row['predicted']:>12,} {row['measured']:>12,} "
                  f"{100 * error:>+7.2f}%")
    print(f"worst relative error: {100 * worst:.2f}% (measured in KB, rounded by Theano)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2], [int(s) for s in sys.argv[3:]])
    else:
        main()
