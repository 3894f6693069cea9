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

import argparse
import io
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Case (in memory_models.py) -> sizes of its leading dimension.
SIZES = {
    "mlp_train": [256, 2048, 8192],
    "mlp_predict": [256, 2048, 8192],
    "embedding_update": [1024, 16384, 131072],
    "views_and_inplace": [256, 2048, 8192],
    "transpose_then_reduce": [256, 2048],
}


def measure(case, size):
    import memory_models
    import numpy as np
    import theano
    from theano.compile.profiling import ProfileStats

    from theanolint.analysis import graph
    from theanolint.analysis.memory import prediction as memory

    inputs, outputs, updates, values = memory_models.CASES[case](size)
    profile = ProfileStats(atexit_print=False)
    function = theano.function(inputs, outputs, updates=updates, profile=profile)
    function(*values)
    text = io.StringIO()
    profile.summary_memory(text, N=1)  # N=None crashes in Theano 1.0.5
    section = text.getvalue().split("Max peak memory with current setting\n", 1)[1]
    executed_kb, toposort_kb = map(int, re.search(r"GPU: (\d+)KB \((\d+)KB\)", section).groups())
    fgraph = function.maker.fgraph
    known = {var: tuple(np.shape(value)) for var, value in zip(fgraph.inputs, values)}
    predicted = memory.predict(graph.build_scopes(fgraph), known, unknown_dim=1024).peak[memory.GPU]
    return {
        "case": case,
        "size": size,
        "predicted": predicted,
        "measured": executed_kb * 1024,
        "measured_toposort": toposort_kb * 1024,
    }


def measure_project(project):
    """Every function a project's builders make, at its configured dims, for real."""
    import numpy as np
    import yaml
    from theano.compile.profiling import ProfileStats

    from theanolint import builders
    from theanolint.analysis import capture, graph
    from theanolint.analysis.memory import prediction as memory
    from theanolint.analysis.memory import shapes

    with open(os.path.join(project, ".theanolint.yaml")) as handle:
        config = yaml.safe_load(handle)
    registrations = builders.start_collecting()
    sys.path.insert(0, project)
    for module in config["modules"]:
        __import__(module)
    real = capture._HOLDERS[0].orig_function
    rng = np.random.RandomState(0)
    for registration in registrations:
        with capture.capturing() as captured:
            registration.builder()
        for record in (r for r in captured if not r.made_by_theano):
            name = f"{registration.name}:{record.name or 0}"
            try:
                profile = ProfileStats(atexit_print=False)
                function = real(
                    record.inputs,
                    record.outputs,
                    record.mode,
                    record.accept_inplace,
                    record.name,
                    profile,
                    record.on_unused_input,
                    record.output_keys,
                )
                fgraph = function.maker.fgraph
                known = shapes.input_shapes(fgraph, registration.shapes, config.get("dims", {}))
                missing = [v.name for v in fgraph.inputs if v not in known]
                if missing:
                    raise LookupError(f"no declared shape or test value for {missing}")
                values, by_var = [], {}
                for wrapped, var in zip(function.maker.inputs, fgraph.inputs):
                    if wrapped.implicit:
                        continue
                    shape = known[var]
                    dtype = var.type.dtype
                    value = np.asarray(
                        rng.rand(*shape) if dtype.startswith("float") else rng.randint(0, 2, size=shape), dtype=dtype
                    )
                    values.append(value)
                    by_var[var] = shape
                function(*values)
                text = io.StringIO()
                profile.summary_memory(text, N=1)
                section = text.getvalue().split("Max peak memory with current setting\n", 1)[1]
                executed_kb = int(re.search(r"GPU: (\d+)KB", section).group(1))
                predicted = memory.predict(graph.build_scopes(fgraph), by_var, 1024)
                print(
                    json.dumps(
                        {
                            "case": name,
                            "size": str(config.get("dims", {})),
                            "predicted": predicted.peak[memory.GPU],
                            "measured": executed_kb * 1024,
                            "assumed": len(predicted.assumed),
                        }
                    ),
                    flush=True,
                )
            except Exception as error:
                print(
                    json.dumps({"case": name, "size": str(config.get("dims", {})), "error": _first_line(error)}),
                    flush=True,
                )


def _start():
    # Theano 1.0.5's Cython scan loop does not build on Python 3.11: use its Python loop.
    sys.modules.setdefault("theano.scan_module.scan_perform_ext", None)
    from theanolint.device.startup import start_theano
    from theanolint.device.target import Target

    if os.environ.get("THEANOLINT_BENCH_TARGET") == "cuda":
        start_theano(Target("cuda", "cuda0", profile={"cudnn": "none"}))
    else:
        start_theano(Target("opencl", "opencl0:0"))


def worker(case, sizes):
    sys.path.insert(0, HERE)
    _start()
    for size in sizes:
        try:
            print(json.dumps(measure(case, size)), flush=True)
        except Exception as error:  # e.g. a kernel PoCL cannot build
            print(json.dumps({"case": case, "size": size, "error": _first_line(error)}), flush=True)


def _error(row) -> float:
    """Relative error, compared in the whole KB that Theano prints (both rounded alike)."""
    predicted_kb = round(row["predicted"] / 1024)
    measured_kb = row["measured"] // 1024
    return (predicted_kb - measured_kb) / measured_kb if measured_kb else 0.0


def _first_line(error) -> str:
    return f"{type(error).__name__}: {(str(error).splitlines() or [''])[0][:160]}"


def _report(label, arguments, env) -> float:
    """Run one worker, print its rows; the worst error of rows without assumed sizes."""
    process = subprocess.run([sys.executable, __file__, *arguments], env=env, capture_output=True, text=True)
    rows = [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]
    if not rows:
        print(f"{label:<28} failed: {process.stderr.strip().splitlines()[-3:]}")
    worst = 0.0
    for row in rows:
        size = str(row["size"]) if isinstance(row["size"], int) else ""
        if "error" in row:
            print(f"{row['case']:<28} {size:>7} could not run: {row['error']}")
            continue
        error = _error(row)
        note = f"  ({row['assumed']} assumed dims)" if row.get("assumed") else ""
        if not note:
            worst = max(worst, abs(error))
        print(f"{row['case']:<28} {size:>7} {row['predicted']:>14,} {row['measured']:>14,} {100 * error:>+7.2f}%{note}")
    return worst


def main():
    from theanolint.device.target import Target

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--target",
        choices=["opencl", "cuda"],
        default="opencl",
        help="cuda: a real NVIDIA GPU (the virtual device cannot run kernels)",
    )
    parser.add_argument(
        "--project",
        action="append",
        default=[],
        help="also measure every function of this project at its config's dims",
    )
    args = parser.parse_args()
    target = (
        Target("opencl", "opencl0:0") if args.target == "opencl" else Target("cuda", "cuda0", profile={"cudnn": "none"})
    )
    env = dict(os.environ, **target.environment())
    env["THEANOLINT_BENCH_TARGET"] = args.target
    env["THEANO_FLAGS"] += ",profile=True,profile_memory=True"
    env["CUDA_LAUNCH_BLOCKING"] = "1"  # Theano refuses to profile asynchronous GPU runs
    print(f"{'case':<28} {'size':>7} {'predicted':>14} {'measured':>14} {'error':>8}")
    runs = [(case, ["--worker", case, *map(str, sizes)]) for case, sizes in SIZES.items()]
    runs += [(project, ["--project-worker", os.path.abspath(project)]) for project in args.project]
    worst = max([0.0] + [_report(label, arguments, env) for label, arguments in runs])
    print(
        f"worst relative error: {100 * worst:.2f}% (compared in KB, as Theano prints them; "
        "rows with assumed dimensions left out)"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--project-worker"]:
        _start()
        measure_project(sys.argv[2])
    elif sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2], [int(s) for s in sys.argv[3:]])
    else:
        main()
