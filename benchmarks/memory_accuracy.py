"""Predicted peak GPU memory against Theano's own profile_memory measurement.

    .venv/bin/python benchmarks/memory_accuracy.py [--project DIR [--config FILE]] ...

Synthetic cases (memory_models.py): for each case and size, in a worker process
on the OpenCL device (PoCL), compile with ``theano.function(..., profile=...)``
under ``profile=True, profile_memory=True``, run once, read Theano's "Max peak
memory with current setting" (GPU; like theanolint's peak working set it leaves
out inputs and shared variables) and predict the same function's peak with
theanolint's memory model from the input shapes alone.

Projects (``--project DIR``, repeatable; ``--config FILE`` after it picks another
config than DIR/.theanolint.yaml):

- prediction: the command users run, ``python -m theanolint check --config CFG
  --memory --format json --no-cache --target opencl`` in DIR: ``peak_gpu`` of each
  function of ``memory[]`` (and whether it rests on assumptions), with ``--jobs 1``
  unless ``--jobs`` says otherwise (one heavy process at a time on shared machines);
- measurement: a worker process on OpenCL runs each registered builder under
  capture, compiles every function it made for real with a ``ProfileStats``,
  calls it once with random inputs of the shapes theanolint resolves (declared
  shapes, dims, test values, shared values) and reads both of Theano's figures:
  the executed order's peak and the toposort order's (in brackets);
- a function PoCL cannot run (a kernel that does not build; scan on OpenCL
  arrays) is measured on ``device=cpu`` instead, as a proxy: compiled and run in a
  CPU worker, and compared with theanolint's host prediction on that
  CPU-compiled graph (``prediction.predict``, HOST part).

Theano prints whole KB, so every comparison is in KB.  A row is OK when the
prediction is at or above the executed peak and at most 5% above the larger of
the two measured peaks; a prediction that rests on assumed dimensions is never OK.
"""

import argparse
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
# Case (in memory_models.py) -> sizes of its leading dimension.
SIZES = {
    "mlp_train": [256, 2048, 8192],
    "mlp_predict": [256, 2048, 8192],
    "embedding_update": [1024, 16384, 131072],
    "views_and_inplace": [256, 2048, 8192],
    "transpose_then_reduce": [256, 2048],
}
MARK = "@@memory_accuracy "  # prefixes the worker's result lines (builders may print too)
TOLERANCE = 1.05  # above max(executed, toposort): still OK
WORKER_TIMEOUT = 1800  # seconds, per worker process
PROFILE_FLAGS = ",profile=True,profile_memory=True"


def _emit(row) -> None:
    sys.stdout.write(MARK + json.dumps(row) + "\n")
    sys.stdout.flush()


def _figures(profile) -> dict:
    """Theano's "Max peak memory with current setting", in bytes (Theano prints KB):
    the executed order's peak and, in brackets, the toposort order's, for CPU and GPU.
    A function without nodes (Keras's empty metrics functions) has none: Theano's
    summary fails on it."""
    if not profile.apply_callcount:
        return {"cpu": (0, 0), "gpu": (0, 0), "repeated": 0}
    # A lazy op (IfElse) runs its thunk again once the branch it asked for is
    # computed, and the VM records it each time: Theano's executed-order count then
    # sees its output before its input and fails an assertion.  Keep each node's
    # last run, when its outputs were made.
    order = list(getattr(profile, "node_executed_order", None) or [])
    last = {node: index for index, node in enumerate(order)}
    repeated = len(order) - len(last)
    if repeated:
        profile.node_executed_order = [node for index, node in enumerate(order) if last[node] == index]
    text = io.StringIO()
    profile.summary_memory(text, N=1)  # N=None crashes in Theano 1.0.5
    section = text.getvalue().split("Max peak memory with current setting\n", 1)[1]
    figures = {}
    for device in ("CPU", "GPU"):
        executed, toposort = re.search(rf"{device}: (\d+)KB \((\d+)KB\)", section).groups()
        figures[device.lower()] = (int(executed) * 1024, int(toposort) * 1024)
    figures["repeated"] = repeated
    return figures


# --- synthetic cases (worker side) ---------------------------------------------------


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
    executed, toposort = _figures(profile)["gpu"]
    fgraph = function.maker.fgraph
    known = {var: tuple(np.shape(value)) for var, value in zip(fgraph.inputs, values)}
    predicted = memory.predict(graph.build_scopes(fgraph), known, unknown_dim=1024)
    return {
        "name": f"{case} {size}",
        "predicted": predicted.peak[memory.GPU],
        "assumed": len(predicted.assumed),
        "executed": executed,
        "toposort": toposort,
    }


def worker(case, sizes):
    sys.path.insert(0, HERE)
    _start("opencl" if os.environ.get("THEANOLINT_BENCH_TARGET") != "cuda" else "cuda")
    for size in sizes:
        try:
            _emit(measure(case, size))
        except Exception as error:  # e.g. a kernel PoCL cannot build
            _emit({"name": f"{case} {size}", "error": _first_line(error), "stage": "run"})
    _exit()


# --- projects (worker side) -----------------------------------------------------------


def _labelled(captured):
    """The functions a builder made, named as the CLI names them (analysis.building.build)."""
    made = [record for record in captured if not record.made_by_theano]
    used = set()
    for index, record in enumerate(made):
        label = record.name or str(index)
        if label in used:
            label = f"{label}#{index}"
        used.add(label)
        yield label, record


def _inputs(function, fgraph, known, rng):
    """Random values of the resolved shapes for the function's explicit inputs:
    floats uniform in [0, 1), integers 0 or 1 (valid ids, indices and flags)."""
    import numpy as np

    values = []
    for wrapped, var in zip(function.maker.inputs, fgraph.inputs):
        if wrapped.implicit:
            continue
        shape, dtype = known[var], var.type.dtype
        if dtype.startswith("float") or dtype.startswith("complex"):
            value = rng.rand(*shape) if shape else rng.rand()
        else:
            value = rng.randint(0, 2, size=shape) if shape else rng.randint(0, 2)
        values.append(np.asarray(value, dtype=dtype))
    return values


def measure_project(job):
    """Every function the project's builders make, at its config's dims, for real,
    on the device Theano was started on (``job["device"]``: opencl or cpu)."""
    import importlib

    import numpy as np
    from theano.compile.profiling import ProfileStats

    from theanolint import builders
    from theanolint.analysis import capture, graph
    from theanolint.analysis.memory import prediction as memory
    from theanolint.analysis.memory.inputs import input_shapes
    from theanolint.cli.options import load_config

    config = load_config(job["config"])
    dims = config.get("dims", {})
    unknown_dim = config["memory"]["unknown_dim"]
    registrations = builders.start_collecting()
    sys.path.insert(0, config["root"])
    os.chdir(config["root"])
    for module in config["modules"]:
        importlib.import_module(module)
    real = capture._HOLDERS[0].orig_function
    only, skip = job.get("only"), set(job.get("skip", ()))
    rng = np.random.RandomState(0)
    for registration in sorted(registrations, key=lambda r: r.name):
        prefix = registration.name + ":"
        if only is not None and not any(name.startswith(prefix) for name in only):
            continue
        try:
            with capture.capturing() as captured:
                registration.builder()
        except Exception as error:
            _emit({"name": registration.name, "error": _first_line(error), "stage": "build"})
            continue
        for label, record in _labelled(captured):
            name = prefix + label
            if name in skip or (only is not None and name not in only):
                continue
            _emit({"started": name})
            stage = "compile"
            try:
                profile = ProfileStats(atexit_print=False)
                host = job["device"] == "cpu" or job.get("host_mode", False)
                function = real(
                    record.inputs,
                    record.outputs,
                    _host_mode() if job.get("host_mode") else record.mode,
                    record.accept_inplace,
                    record.name,
                    profile,
                    record.on_unused_input,
                    record.output_keys,
                )
                stage = "shapes"
                fgraph = function.maker.fgraph
                originals = [getattr(i, "variable", i) for i in record.inputs]
                known = input_shapes(fgraph, registration.shapes, dims, originals)
                missing = [v.name or str(v.type) for v in fgraph.inputs if v not in known]
                if missing:
                    raise LookupError(f"no declared shape or test value for {missing}")
                values = _inputs(function, fgraph, known, rng)
                stage = "run"
                function(*values)
                stage = "profile"
                figures = _figures(profile)
                side = "cpu" if host else "gpu"
                row = {"name": name, "executed": figures[side][0], "toposort": figures[side][1]}
                if figures["repeated"]:
                    row["repeated"] = figures["repeated"]
                stage = "predict"
                part = memory.HOST if host else memory.GPU
                try:
                    predicted = memory.predict(graph.build_scopes(fgraph), known, unknown_dim=unknown_dim)
                except Exception as error:
                    if host:
                        raise
                    row["own_error"] = _first_line(error)  # the explanation only: keep the measurement
                else:
                    if host:
                        row.update(predicted=predicted.peak[part], assumed=len(predicted.assumed))
                    else:  # for the explanation only: the verdict uses the command's prediction
                        row["own_predicted"] = predicted.peak[part]
                    row["differences"] = _differences(profile, predicted, part == memory.GPU)
                _emit(row)
            except Exception as error:
                _emit({"name": name, "error": _first_line(error), "stage": stage})
    _exit()


def _host_mode():
    """The default mode without the GPU optimizations: the whole graph on the host, for
    a builder that cannot run on ``device=cpu`` (``theano.shared(..., target=None)``)."""
    import theano

    return theano.compile.get_default_mode().excluding("gpuarray")


def _differences(profile, predicted, on_gpu, count=5):
    """The buffers whose predicted size differs from the size Theano measured (its
    ``variable_shape``), largest difference first: where a wrong peak comes from,
    unless every size agrees and the difference is in the replay (order, views)."""
    from theano.gpuarray.type import GpuArrayType

    found = []
    for node in profile.apply_callcount:
        for out in node.outputs:
            if isinstance(out.type, GpuArrayType) != on_gpu or not hasattr(out.type, "get_size"):
                continue
            shape = profile.variable_shape.get(out)
            measured = out.type.get_size(shape) if shape is not None else 0
            guess = predicted.sizes.get(out)
            if guess is not None and guess != measured:
                found.append(
                    {
                        "op": str(node.op)[:60],
                        "measured": [measured, list(shape) if shape is not None else None],
                        "predicted": guess,
                    }
                )
    found.sort(key=lambda d: -abs(d["predicted"] - d["measured"][0]))
    return {"count": len(found), "largest": found[:count]}


def _start(device):
    # Theano 1.0.5's Cython scan loop does not build on Python 3.11: use its Python loop.
    sys.modules.setdefault("theano.scan_module.scan_perform_ext", None)
    if device == "cpu":
        import theano

        assert theano.config.device == "cpu", theano.config.device
        return
    from theanolint.device.startup import start_theano
    from theanolint.device.target import Target

    if device == "cuda":
        start_theano(Target("cuda", "cuda0", profile={"cudnn": "none"}))
    else:
        start_theano(Target("opencl", "opencl0:0"))


def _exit():
    """Leave without Theano's at-exit work (global profiles, compile-dir locks are released)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _first_line(error) -> str:
    """``Type: first line of the message``; an error without a message says where it was raised."""
    text = (str(error).strip().splitlines() or [""])[0][:160]
    if not text and error.__traceback__ is not None:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        text = f"(no message) at {os.path.basename(frame.filename)}:{frame.lineno} in {frame.name}"
    return f"{type(error).__name__}: {text}"


# --- the command's side -----------------------------------------------------------------


def _kb(value: int) -> int:
    """Bytes as Theano prints them: whole KB, rounded."""
    return int(round(value / 1024.0))


def verdict(row) -> dict:
    """Errors against the executed peak and against max(executed, toposort), and OK or not."""
    predicted, executed, toposort = _kb(row["predicted"]), _kb(row["executed"]), _kb(row["toposort"])
    highest = max(executed, toposort)
    against_executed = (predicted - executed) / executed if executed else (0.0 if predicted == 0 else None)
    against_max = (predicted - highest) / highest if highest else (0.0 if predicted == 0 else None)
    if row.get("assumed"):
        word = "ASSUMED"
    elif predicted < executed:
        word = "BELOW"
    elif predicted > TOLERANCE * highest:
        word = "HIGH"
    else:
        word = "OK"
    return {"error_executed": against_executed, "error_max": against_max, "verdict": word}


HEADER = f"{'function':<46} {'predicted':>12} {'executed':>12} {'toposort':>12} {'err/exec':>9} {'err/max':>9}  verdict"


def _percent(value) -> str:
    return "n/a" if value is None else f"{100 * value:+.2f}%"


def _print_row(row) -> None:
    label = row["name"] + (" [host-mode proxy]" if row.get("host_mode") else " [cpu proxy]" if row.get("proxy") else "")
    if "error" in row:
        print(f"{label:<46} {row['error']}")
        return
    row.update(verdict(row))
    notes = []
    if row.get("assumed"):
        notes.append(f"prediction rests on assumptions ({row['assumed']})")
    if row.get("repeated"):
        notes.append(f"executed order: {row['repeated']} repeated run(s) of lazy ops left out")
    if row.get("proxy"):
        notes.append("cpu proxy: host peak of the CPU-compiled graph")
        if row.get("cli_predicted") is not None:
            notes.append(f"theanolint on opencl: {_kb(row['cli_predicted']):,}KB GPU")
    _print_values(label, row, notes)
    if row["verdict"] != "OK":
        _print_why(row)


def _print_values(label, row, notes) -> None:
    print(
        f"{label:<46} {_kb(row['predicted']):>10,}KB {_kb(row['executed']):>10,}KB {_kb(row['toposort']):>10,}KB "
        f"{_percent(row['error_executed']):>9} {_percent(row['error_max']):>9}  {row['verdict']}"
        + (f"  ({'; '.join(notes)})" if notes else "")
    )


def _print_why(row) -> None:
    """What the worker saw of a row that is not OK (its own prediction on the graph it
    ran; the buffers whose size theanolint predicts differently from Theano)."""
    if "own_predicted" in row:
        print(f"{'':<6}theanolint on the graph the worker ran: {_kb(row['own_predicted']):,}KB")
    differences = row.get("differences")
    if differences is None:
        return
    if not differences["count"]:
        print(f"{'':<6}every buffer's size as Theano measured it: the difference is in the replay (order, views)")
        return
    print(f"{'':<6}{differences['count']} buffer(s) of another size than Theano measured, e.g.:")
    for item in differences["largest"]:
        measured, shape = item["measured"]
        print(f"{'':<8}{item['op']}: predicted {item['predicted']:,} B, measured {measured:,} B {shape}")


def _run_worker(arguments, env):
    """Run a worker to its end; rows, and the (rc, stderr tail) if it failed."""
    try:
        process = subprocess.run(
            [sys.executable, __file__, *arguments], env=env, capture_output=True, text=True, timeout=WORKER_TIMEOUT
        )
    except subprocess.TimeoutExpired as expired:
        stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else expired.stdout or ""
        rows = [json.loads(line[len(MARK) :]) for line in stdout.splitlines() if line.startswith(MARK)]
        return rows, (f"timeout after {WORKER_TIMEOUT} s", "")
    rows = [json.loads(line[len(MARK) :]) for line in process.stdout.splitlines() if line.startswith(MARK)]
    failure = None
    if process.returncode < 0:
        failure = (f"killed by {signal.Signals(-process.returncode).name}", _tail(process.stderr))
    elif process.returncode != 0:
        failure = (f"exit {process.returncode}", _tail(process.stderr))
    return rows, failure


def _tail(stderr: str) -> str:
    """The last lines of a worker's stderr that are not Theano's warnings."""
    lines = [line.strip() for line in stderr.strip().splitlines()]
    lines = [line for line in lines if line and "warn" not in line.lower()]
    return " | ".join(lines[-3:])[:300]


def _measure_all(job, env):
    """The worker's rows for every function; a worker that dies (PoCL can abort the
    process) costs only the function it was running: the rest run in a fresh one."""
    rows, done = [], set(job.get("skip", ()))
    while True:
        found, failure = _run_worker(["--project-worker", json.dumps({**job, "skip": sorted(done)})], env)
        started = None
        for row in found:
            if "started" in row:
                started = row["started"]
                continue
            rows.append(row)
            done.add(row["name"])
            started = None
        if failure is None:
            return rows
        if started is None:  # it died outside a function: nothing left to retry
            rows.append({"name": f"({job['device']} worker)", "error": f"worker failed: {failure[0]}: {failure[1]}"})
            return rows
        why = f"{failure[0]}: {failure[1][:160]}" if failure[1] else failure[0]
        rows.append({"name": started, "error": f"worker died: {why}", "stage": "run"})
        done.add(started)


def predict_with_cli(project, config_path, jobs):
    """``theanolint check --memory --format json`` as users run it: name -> memory entry."""
    command = [sys.executable, "-m", "theanolint", "check", "--config", config_path]
    command += ["--memory", "--format", "json", "--no-cache", "--target", "opencl"]
    if jobs:
        command += ["--jobs", str(jobs)]
    env = dict(os.environ)
    env.pop("THEANO_FLAGS", None)
    env.pop("FORCE_COLOR", None)
    start = time.perf_counter()
    process = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if process.returncode not in (0, 1):
        tail = " | ".join(process.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"theanolint exit {process.returncode}: {tail}")
    report = json.loads(process.stdout)
    return {entry["name"]: entry for entry in report.get("memory", [])}, wall


def _project_env(config, device):
    from theanolint.device.target import Target, from_config

    if device == "cpu":
        target = Target("cpu", "cpu", config["floatX"], extra_flags=dict(config.get("theano_flags", {})))
    else:
        target = from_config(config, device)
    env = dict(os.environ, **target.environment())
    env["THEANO_FLAGS"] += PROFILE_FLAGS
    env["CUDA_LAUNCH_BLOCKING"] = "1"
    return env


def project_rows(project, config_path, jobs):
    """Rows of one project: the CLI's prediction against the OpenCL measurement, and
    against the CPU proxy where PoCL cannot run a function."""
    from theanolint.cli.options import load_config

    config = load_config(config_path)
    start = time.perf_counter()
    try:
        predictions, cli_wall = predict_with_cli(project, config_path, jobs)
    except Exception as error:
        return [{"name": project, "error": f"no prediction: {_first_line(error)}"}], {}
    job = {"config": config_path, "device": "opencl"}
    measured = _measure_all(job, _project_env(config, "opencl"))
    rows, proxies = [], []
    for row in measured:
        entry = predictions.get(row["name"])
        if "error" in row:
            if row.get("stage") in ("compile", "run"):
                row["error"] = f"could not run on opencl: {row['error']}"
                proxies.append(row["name"])
            rows.append(row)
            continue
        if entry is None or "peak_gpu" not in entry:
            why = "no such function" if entry is None else f"unknown inputs {entry.get('unknown_inputs')}"
            rows.append({"name": row["name"], "error": f"theanolint gave no prediction ({why})"})
            continue
        rows.append({**row, "predicted": entry["peak_gpu"], "assumed": len(entry.get("assumptions") or [])})
    if proxies:
        cpu = _measure_all({**job, "device": "cpu", "only": proxies}, _project_env(config, "cpu"))
        for row in cpu:
            row["proxy"] = True
            if row.get("stage") == "build":
                row["name"] = f"{row['name']} (its builder, on cpu)"
            elif row["name"] in predictions:
                row["cli_predicted"] = predictions[row["name"]].get("peak_gpu")
            if "error" in row:
                row["error"] = f"cpu proxy failed too: {row['error']}"
            index = next((i for i, r in enumerate(rows) if r["name"] == row["name"]), len(rows) - 1)
            rows.insert(index + 1, row)
        unbuilt = [r["name"].split(" (its builder")[0] for r in cpu if r.get("stage") == "build"]
        on_host = [name for name in proxies if any(name.startswith(b + ":") for b in unbuilt)]
        if on_host:  # their builders need the GPU context: the OpenCL worker, every op on the host
            for row in _measure_all({**job, "only": on_host, "host_mode": True}, _project_env(config, "opencl")):
                row.update(proxy=True, host_mode=True)
                if "error" in row:
                    row["error"] = f"host-mode proxy failed too: {row['error']}"
                elif row["name"] in predictions:
                    row["cli_predicted"] = predictions[row["name"]].get("peak_gpu")
                rows.append(row)
    measured_names = {row["name"] for row in measured}
    for name in sorted(set(predictions) - measured_names):
        rows.append({"name": name, "error": "predicted by theanolint but not measured (no such function here)"})
    timing = {"cli_seconds": round(cli_wall, 1), "seconds": round(time.perf_counter() - start, 1)}
    return rows, timing


def _uncompared(rows):
    """Functions (or builders) with an error row and no compared row, e.g. neither
    OpenCL nor the cpu proxy could run them."""
    compared = {(row["project"], row["name"]) for row in rows if "verdict" in row}
    failed = {(row["project"], row["name"]) for row in rows if "error" in row and not row.get("proxy")}
    return sorted(failed - compared)


class _ProjectAction(argparse.Action):
    def __call__(self, parser, namespace, value, option_string=None):
        namespace.projects.append([value, None])


class _ConfigAction(argparse.Action):
    def __call__(self, parser, namespace, value, option_string=None):
        if not namespace.projects:
            parser.error("--config belongs to the --project before it")
        namespace.projects[-1][1] = value


def _config_path(project, config):
    if config is None:
        return os.path.join(os.path.abspath(project), ".theanolint.yaml")
    if os.path.isfile(config):
        return os.path.abspath(config)
    return os.path.abspath(os.path.join(project, config))


def main():
    from theanolint.device.target import Target

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--target",
        choices=["opencl", "cuda"],
        default="opencl",
        help="device of the synthetic cases; cuda: a real NVIDIA GPU (the virtual device cannot run kernels)",
    )
    parser.set_defaults(projects=[])
    parser.add_argument(
        "--project",
        action=_ProjectAction,
        metavar="DIR",
        help="also measure every function of this project at its config's dims (repeatable)",
    )
    parser.add_argument(
        "--config",
        action=_ConfigAction,
        metavar="FILE",
        help="config of the --project before it (a path, or relative to that project); default DIR/.theanolint.yaml",
    )
    parser.add_argument("--no-synthetic", action="store_true", help="skip memory_models.py's cases")
    parser.add_argument(
        "--jobs", type=int, default=1, help="theanolint's --jobs for the prediction (default 1; 0: the CLI's default)"
    )
    parser.add_argument("--json", metavar="FILE", help="also write every row as JSON to FILE")
    args = parser.parse_args()
    all_rows = []
    print(HEADER)
    if not args.no_synthetic:
        if args.target == "opencl":
            target = Target("opencl", "opencl0:0")
        else:
            target = Target("cuda", "cuda0", profile={"cudnn": "none"})
        env = dict(os.environ, **target.environment())
        env["THEANOLINT_BENCH_TARGET"] = args.target
        env["THEANO_FLAGS"] += PROFILE_FLAGS
        env["CUDA_LAUNCH_BLOCKING"] = "1"  # Theano refuses to profile asynchronous GPU runs
        print(f"-- synthetic cases (memory_models.py, {args.target}; prediction in process)")
        for case, sizes in SIZES.items():
            rows, failure = _run_worker(["--worker", case, *map(str, sizes)], env)
            if failure:
                rows.append({"name": case, "error": f"worker failed: {failure[0]}: {failure[1]}"})
            for row in rows:
                _print_row(row)
            all_rows += [{"project": "synthetic", **row} for row in rows]
    for project, config in args.projects:
        config_path = _config_path(project, config)
        print(f"-- {project} ({os.path.relpath(config_path)}; prediction: theanolint --memory --target opencl)")
        rows, timing = project_rows(os.path.abspath(project), config_path, args.jobs)
        for row in rows:
            _print_row(row)
        if timing:
            print(f"   (theanolint {timing['cli_seconds']} s; whole project {timing['seconds']} s)")
        all_rows += [{"project": project, **row} for row in rows]
    compared = [row for row in all_rows if "verdict" in row]
    bad = [row for row in compared if row["verdict"] != "OK"]
    worst = max((abs(row["error_executed"]) for row in compared if row["error_executed"] is not None), default=0.0)
    kinds = sorted({row["verdict"] for row in bad})
    breakdown = ", ".join(f"{sum(row['verdict'] == kind for row in bad)} {kind}" for kind in kinds)
    print(
        f"{len(compared) - len(bad)} of {len(compared)} compared functions OK"
        + (f" ({breakdown})" if breakdown else "")
        + f"; {len(_uncompared(all_rows))} without a comparison; "
        f"largest |error| against executed: {100 * worst:.2f}% (in KB, as Theano prints them)"
    )
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(all_rows, handle, indent=1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--project-worker"]:
        project_job = json.loads(sys.argv[2])
        _start(project_job["device"])
        measure_project(project_job)
    elif sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2], [int(s) for s in sys.argv[3:]])
    else:
        main()
