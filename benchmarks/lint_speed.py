"""theanolint's speed next to Theano's own optimizer and compiler, on the same functions.

    .venv/bin/python benchmarks/lint_speed.py [--repeat N]

The functions: tests/projects/identity (givens_updates:train, gather_and_reduce:forward,
gather_and_reduce:train, mixed_dtypes:f) and examples/models/mlp.py (mlp.train:train,
mlp.train_fixed:train), copied into a temporary project linted on the virtual CUDA
device without cuDNN (``cuda: {cudnn: none}``): with cuDNN the graphs hold cuDNN ops,
which cannot be compiled here, and scan's Cython loop does not build on Python 3.11, so
the LSTM is left out.  All of these functions really compile on that device.

Measured in one run, each N times (default 3; medians, with the spread):

1. In one worker-like process, Theano already imported on the target (the job is the
   one the CLI would give its workers):
   - theanolint's per-builder work, cold (empty result cache):
     ``analysis.pipeline.lint_registration``, i.e. run the builder under capture, hash,
     optimize, predict memory, run the rules, store the result;
   - the same with every function a cache hit (the builders still run);
   - the builders alone (under capture, nothing optimized);
   - Theano's optimizer alone: ``FunctionMaker`` construction for the captured functions;
   - a warm compile: the real ``orig_function`` (optimizer + linking), with Theano's C
     cache populated by a warm-up compile of the same functions.
2. The ``theanolint`` command, end to end (process start-up, Theano import, everything):
   cold (after ``theanolint clean``), warm (nothing changed: the run-level cache), and
   warm after editing one file (a comment appended: per-function cache hits, builders
   rerun), with ``-j 1`` and ``-j 2``.
3. The pre-commit hook on examples/ (its own config, cuDNN 7.6.5): ``theanolint`` and
   ``theanolint models/mlp.py`` warm, and after editing models/mlp.py.

Then the issue's goals, as ratios of medians from this run.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import textwrap
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchutil  # noqa: E402
from benchutil import REPO, fmt, median  # noqa: E402

CONFIG = textwrap.dedent("""\
    target: cuda
    cuda:
      cudnn: none
    modules: [functions, models.mlp]
    dims:
      batch: 64
    """)


def make_project(folder):
    os.makedirs(os.path.join(folder, "models"))
    shutil.copy(os.path.join(REPO, "tests", "projects", "identity", "functions.py"), folder)
    shutil.copy(os.path.join(REPO, "examples", "models", "mlp.py"), os.path.join(folder, "models"))
    open(os.path.join(folder, "models", "__init__.py"), "w").close()
    with open(os.path.join(folder, ".theanolint.yaml"), "w") as handle:
        handle.write(CONFIG)
    return folder


# --- child: one worker-like process ----------------------------------------------------


def child(job_path, repeat):
    sys.setrecursionlimit(100_000)
    threading.stack_size(1024 * 2**20)  # as the worker does
    out = {}
    thread = threading.Thread(target=_child_work, args=(job_path, repeat, out))
    thread.start()
    thread.join()
    if "rounds" not in out:
        sys.exit("the measurement thread failed (its traceback is above)")
    print(json.dumps(out))


def _child_work(job_path, repeat, out):
    from theanolint.device.startup import start_theano

    job = benchutil.read_job(job_path)
    started = time.perf_counter()
    context = start_theano(job.target)
    out["startup"] = time.perf_counter() - started

    import dataclasses

    from theanolint.analysis import capture, optimize, pipeline
    from theanolint.workers import main as worker

    scratch = tempfile.mkdtemp(prefix="lint-speed-")

    # First cold lint through the worker's own code, which also imports the modules;
    # it hands us the registrations and the settings the worker uses.
    grabbed = {"registrations": []}
    real_lint_registration = pipeline.lint_registration

    def spy(registration, settings):
        grabbed["settings"] = settings
        grabbed["registrations"].append(registration)
        return real_lint_registration(registration, settings)

    pipeline.lint_registration = spy
    job = dataclasses.replace(job, cache_dir=os.path.join(scratch, "first"))
    started = time.perf_counter()
    errors = worker.lint(job, worker.Channel(os.path.join(scratch, "channel.jsonl")), context)
    out["first_cold_with_imports"] = time.perf_counter() - started
    pipeline.lint_registration = real_lint_registration
    assert not errors, errors
    registrations, settings = grabbed["registrations"], grabbed["settings"]

    def lint(cache_dir):
        errors, entries, started = [], [], time.perf_counter()
        at = dataclasses.replace(settings, cache_dir=cache_dir)
        for registration in registrations:
            outcome = pipeline.lint_registration(registration, at)
            entries += outcome.entries
            errors += outcome.internal_errors
        seconds = time.perf_counter() - started
        assert not errors, errors
        return seconds, entries

    def build():
        made, seconds = [], 0.0
        for registration in registrations:
            with capture.capturing() as captured:
                started = time.perf_counter()
                registration.builder()
                seconds += time.perf_counter() - started
            for index, record in enumerate(r for r in captured if not r.made_by_theano):
                made.append((f"{registration.name}:{record.name or index}", record))
        return seconds, made

    def optimizer(made):
        times, nodes = {}, {}
        for name, record in made:
            started = time.perf_counter()
            optimized = optimize.optimize(record)  # FunctionMaker(...), no linking
            times[name] = time.perf_counter() - started
            nodes[name] = len(optimized.fgraph.apply_nodes)
        return times, nodes

    def compile_all():
        """theano.function for real; times only the orig_function calls (optimize + link)."""
        holders, times = capture._HOLDERS, []
        real = holders[0].orig_function

        def timed(*args, **kwargs):
            started = time.perf_counter()
            function = real(*args, **kwargs)
            times.append(time.perf_counter() - started)
            return function

        saved = [h.orig_function for h in holders]
        for holder in holders:
            holder.orig_function = timed
        try:
            for registration in registrations:
                registration.builder()
        finally:
            for holder, original in zip(holders, saved):
                holder.orig_function = original
        return sum(times), len(times)

    # Warm-up: one-time costs (lazy imports, Theano's C cache) are paid here.
    lint(os.path.join(scratch, "warmup"))
    _, made = build()
    optimizer(made)
    out["compiled_functions"] = compile_all()[1]

    rounds = {k: [] for k in ("lint_cold", "lint_hits", "builders", "optimizer", "compile")}
    per_function = {}
    for index in range(repeat):
        cache_dir = os.path.join(scratch, f"round{index}")
        # One call site for both: the graph's creation traces (part of the cache key)
        # hold the whole stack, this benchmark's frames included.
        for kind in ("lint_cold", "lint_hits"):
            seconds, entries = lint(cache_dir)
            rounds[kind].append(seconds)
            hits = [e.summary.cached for e in entries]
            assert all(hits) if kind == "lint_hits" else not any(hits), (kind, hits)
        seconds, made = build()
        rounds["builders"].append(seconds)
        times, nodes = optimizer(made)
        rounds["optimizer"].append(sum(times.values()))
        for name, value in times.items():
            per_function.setdefault(name, {"nodes": nodes[name], "optimizer": []})["optimizer"].append(value)
        rounds["compile"].append(compile_all()[0])
    out.update(rounds=rounds, functions=per_function)
    shutil.rmtree(scratch, ignore_errors=True)


# --- parent --------------------------------------------------------------------------


def cli_rounds(project, repeat, edit_file):
    runs = {k: [] for k in ("cold_j1", "warm_j1", "edit_j1", "cold_j2", "warm_j2", "edit_j2")}
    json_args = ["--format", "json"]
    for index in range(repeat):
        for jobs in ("1", "2"):
            benchutil.clean(project)
            wall, report = benchutil.cli(project, *json_args, "-j", jobs)
            assert not any(f.get("cached") for f in report["functions"])
            runs[f"cold_j{jobs}"].append(wall)
            wall, report = benchutil.cli(project, *json_args, "-j", jobs)
            assert all(f.get("cached") for f in report["functions"])
            runs[f"warm_j{jobs}"].append(wall)
            benchutil.append_comment(edit_file, f"edit {index} {jobs}")
            wall, report = benchutil.cli(project, *json_args, "-j", jobs)
            assert all(f.get("cached") for f in report["functions"])
            runs[f"edit_j{jobs}"].append(wall)
    return runs


def hook_rounds(examples, repeat):
    runs = {k: [] for k in ("warm_all", "warm_paths", "edit_paths")}
    benchutil.clean(examples)
    benchutil.cli(examples)  # populate the per-function cache
    for index in range(repeat):
        benchutil.append_comment(os.path.join(examples, "models", "mlp.py"), f"edit {index}")
        runs["edit_paths"].append(benchutil.cli(examples, "models/mlp.py")[0])
        benchutil.cli(examples)  # the run cache of the plain command, after the edit
        runs["warm_all"].append(benchutil.cli(examples)[0])
        runs["warm_paths"].append(benchutil.cli(examples, "models/mlp.py")[0])
    return runs


def verdict(value, goal):
    return f"{value:6.3f}  (goal <= {goal:g}: {'met' if value <= goal else 'NOT met'})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.repeat)

    print("machine:", benchutil.machine())
    with tempfile.TemporaryDirectory(prefix="theanolint-speed-") as tmp:
        project = make_project(os.path.join(tmp, "project"))
        job, env = benchutil.capture_job(project)
        job_path = benchutil.write_job(job, os.path.join(tmp, "job.json"))
        inproc = benchutil.run_child(
            os.path.abspath(__file__), ["--child", job_path, "--repeat", str(args.repeat)], env
        )
        cli = cli_rounds(project, args.repeat, os.path.join(project, "functions.py"))
        examples = benchutil.copy_project(os.path.join(REPO, "examples"), os.path.join(tmp, "examples"))
        hook = hook_rounds(examples, args.repeat)
    print(f"load average at end {os.getloadavg()[0]:.2f}")

    r = inproc["rounds"]
    print(
        f"\nFunctions ({len(inproc['functions'])}; {inproc['compiled_functions']} compiled), "
        "Theano's optimizer alone, median:"
    )
    for name, info in sorted(inproc["functions"].items()):
        print(f"  {name:32} {info['nodes']:4d} nodes  {median(info['optimizer']):6.3f} s")
    print(f"\n1. In one process, Theano imported ({inproc['startup']:.2f} s device start-up), {args.repeat} rounds:")
    print(f"  {'theanolint cold (lint_registration)':44} {fmt(r['lint_cold'])}")
    print(f"  {'theanolint, all functions cache hits':44} {fmt(r['lint_hits'])}")
    print(f"  {'builders alone (under capture)':44} {fmt(r['builders'])}")
    print(f"  {'optimizer alone (FunctionMaker)':44} {fmt(r['optimizer'])}")
    print(f"  {'warm compile (orig_function, C cache warm)':44} {fmt(r['compile'])}")
    print(f"  {'(first cold lint, with module imports)':44} {inproc['first_cold_with_imports']:7.2f} s")
    print("\n2. theanolint command, end to end:")
    for key, label in (
        ("cold_j1", "cold, -j 1"),
        ("cold_j2", "cold, -j 2"),
        ("warm_j1", "warm (run cache), -j 1"),
        ("warm_j2", "warm (run cache), -j 2"),
        ("edit_j1", "after editing one file, -j 1"),
        ("edit_j2", "after editing one file, -j 2"),
    ):
        print(f"  {label:44} {fmt(cli[key])}")
    print("\n3. pre-commit hook on examples/ (theanolint command only):")
    print(f"  {'warm: theanolint':44} {fmt(hook['warm_all'])}")
    print(f"  {'warm: theanolint models/mlp.py':44} {fmt(hook['warm_paths'])}")
    print(f"  {'edited models/mlp.py: theanolint models/mlp.py':44} {fmt(hook['edit_paths'])}")

    opt, comp = median(r["optimizer"]), median(r["compile"])
    print("\nGoals (ratios of medians):")
    print(f"  cold lint / optimizer, in-process           {verdict(median(r['lint_cold']) / opt, 1.15)}")
    print(f"  cold lint / optimizer, command -j 1         {verdict(median(cli['cold_j1']) / opt, 1.15)}")
    print(f"  cold lint / optimizer, command -j 2         {verdict(median(cli['cold_j2']) / opt, 1.15)}")
    print(f"  warm lint / optimizer, command (run cache)  {verdict(median(cli['warm_j2']) / opt, 0.10)}")
    print(f"  edited lint / optimizer, command -j 2       {verdict(median(cli['edit_j2']) / opt, 0.10)}")
    print(f"  hits lint / optimizer, in-process           {verdict(median(r['lint_hits']) / opt, 0.10)}")
    print(f"  cold lint / warm compile, in-process        {verdict(median(r['lint_cold']) / comp, 0.30)}")
    print(f"  cold lint / warm compile, command -j 2      {verdict(median(cli['cold_j2']) / comp, 0.30)}")
    print(f"  hook on examples/, warm (seconds)           {verdict(median(hook['warm_paths']), 3)}")
    print(f"  hook on examples/, after an edit (seconds)  {verdict(median(hook['edit_paths']), 3)}")
    print(f"  -j 2 / -j 1, cold command                   {median(cli['cold_j2']) / median(cli['cold_j1']):6.3f}")
    print(f"  -j 2 / -j 1, after an edit                  {median(cli['edit_j2']) / median(cli['edit_j1']):6.3f}")


if __name__ == "__main__":
    sys.exit(main())
