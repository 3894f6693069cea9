"""What ``--format html`` adds to the lint of a large function: the picture export and the renderer.

    .venv/bin/python benchmarks/html_report.py [--blocks 38] [--target cuda|opencl] [--repeat 1]

The function is the training step of the test suite's ResNet-style Keras 2.3.1 model
(tests/projects/keras/keras_deep.py: a stem convolution, residual blocks of two 3x3
convolutions with 8 channels, no batch normalization, a softmax classifier), copied
into a temporary project with ``--blocks`` residual blocks.  38 blocks give
about 6,000 nodes after optimization (the test suite's 24 give 3,788);
keras.applications.ResNet50 has 11,083 but takes over 5 minutes to lint here.

1. The worker, cold, in its own process with the worker's environment, given exactly the
   jobs ``theanolint --format json`` and ``--format html`` (``--no-cache -j 1``) give
   their worker: the lint without pictures and with them (build, optimize, memory,
   rules, export), with timers around the picture export (``picture.GraphIds``,
   ``mark_findings``, ``export``) and the memory prediction (with the timeline the
   memory plot needs, and without), and the size of the picture as JSON.
2. The renderer: ``theanolint.report.html.render`` timed inside a whole ``theanolint --format
   html -o FILE`` run in this process (the workers are subprocesses as always).  While
   ``theanolint.report.html`` does not exist, this part says so and is skipped.

Prints medians of ``--repeat`` runs; the two worker runs alternate.
"""

import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchutil  # noqa: E402
from benchutil import median  # noqa: E402

KERAS = os.path.join(benchutil.REPO, "tests", "projects", "keras")
UNIT = "keras.resnet:train_function"


# (label, module, attribute) timed in the worker process.
TIMED = [
    ("picture: node ids", "theanolint.analysis.picture", "GraphIds"),
    ("picture: findings' nodes", "theanolint.analysis.picture", "mark_findings"),
    ("picture: export", "theanolint.analysis.picture", "export"),
    ("memory prediction", "theanolint.analysis.memory.check", "predict"),
    ("Theano optimizer", "theanolint.analysis.optimize", "optimize"),
]


def make_project(folder, blocks, target):
    """The test suite's keras_deep.py with ``blocks`` residual blocks."""
    shutil.copy(os.path.join(KERAS, "keras_compat.py"), folder)
    with open(os.path.join(KERAS, "keras_deep.py")) as handle:
        source = handle.read()
    with open(os.path.join(folder, "keras_deep.py"), "w") as handle:
        handle.write(source.replace("\nBLOCKS = 24\n", f"\nBLOCKS = {blocks}\n", 1))
    with open(os.path.join(folder, ".theanolint.yaml"), "w") as handle:
        handle.write(f"target: {target}\nmodules: [keras_deep]\n")


def child(job_path):
    """Worker side: one cold lint of the job, as the worker runs it, with timers."""
    import importlib

    sys.setrecursionlimit(100_000)  # as the worker (deep gradients)
    from theanolint import protocol

    job = benchutil.read_job(job_path)
    from theanolint.device.startup import start_theano

    context = start_theano(job.target)
    from theanolint.workers import main as worker

    totals = {label: 0.0 for label, _, _ in TIMED}
    for label, module_name, attribute in TIMED:
        module = importlib.import_module(module_name)
        real = getattr(module, attribute)

        def timed(*args, _real=real, _label=label, **kwargs):
            started = time.perf_counter()
            try:
                return _real(*args, **kwargs)
            finally:
                totals[_label] += time.perf_counter() - started

        setattr(module, attribute, timed)
    channel = job_path + ".jsonl"
    started = time.perf_counter()
    errors = worker.lint(job, worker.Channel(channel), context)
    totals["worker lint"] = time.perf_counter() - started
    for error in errors:  # reported as the worker would, not fatal
        print(f"internal error: {error}", file=sys.stderr)
    with open(channel) as handle:
        messages = [protocol.decode(line) for line in handle if line.strip()]
    entries = [e for m in messages for e in getattr(m, "entries", ())]
    entry = next(e for e in entries if e.summary.name == UNIT)
    totals.update(
        nodes=entry.summary.nodes,
        gpu_nodes=entry.summary.gpu_nodes,
        picture_bytes=len(json.dumps(entry.picture)) if entry.picture is not None else 0,
    )
    print(json.dumps(totals))


def worker_rounds(project, repeat):
    jobs = {}
    for fmt in ("json", "html"):
        job, env = benchutil.capture_job(project, "--format", fmt, "--jobs", "1")
        jobs[fmt] = benchutil.write_job(job, os.path.join(project, f"job-{fmt}.json"))
    runs = {"json": [], "html": []}
    for _ in range(repeat):
        for fmt in ("json", "html"):
            runs[fmt].append(benchutil.run_child(os.path.abspath(__file__), ["--child", jobs[fmt]], env))
    return runs


def renderer_round(project):
    """A whole ``theanolint --format html`` run here, timing the renderer inside it."""
    import theanolint.report.html as html
    from theanolint import cli

    seen, real = {}, html.render

    def timed(report):
        started = time.perf_counter()
        text = real(report)
        seen.update(seconds=time.perf_counter() - started, bytes=len(text.encode()))
        return text

    html.render, cwd = timed, os.getcwd()
    os.chdir(project)
    try:
        started = time.perf_counter()
        code = cli.main(
            [
                "check",
                "--no-cache",
                "--jobs",
                "1",
                "--quiet",
                "--format",
                "html",
                "-o",
                os.path.join(project, "report.html"),
            ]
        )
        seen["command"] = time.perf_counter() - started
    finally:
        html.render = real
        os.chdir(cwd)
    if code not in (0, 1):
        sys.exit(f"theanolint --format html failed (exit {code})")
    return seen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=38)
    parser.add_argument("--target", choices=("cuda", "opencl"), default="cuda")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    print(f"machine: {benchutil.machine()}")
    with tempfile.TemporaryDirectory(prefix="html-report-") as scratch:
        os.environ["KERAS_HOME"] = os.path.join(scratch, "keras-home")
        project = os.path.join(scratch, "project")
        os.mkdir(project)
        make_project(project, args.blocks, args.target)
        runs = worker_rounds(project, args.repeat)
        plain, pictured = runs["json"], runs["html"]
        first = pictured[0]
        print(
            f"{UNIT} ({args.blocks} residual blocks) on {args.target}: {first['nodes']} nodes "
            f"after optimization ({first['gpu_nodes']} on the GPU); {args.repeat} run(s), medians"
        )
        without, with_ = median([r["worker lint"] for r in plain]), median([r["worker lint"] for r in pictured])
        export = median([sum(r[label] for label, _, _ in TIMED[:3]) for r in pictured])
        print(f"{'worker lint without pictures (json)':46} {without:8.2f} s")
        print(f"{'worker lint with pictures (html)':46} {with_:8.2f} s")
        for label, _, _ in TIMED[:3]:
            print(f"  {label:44} {median([r[label] for r in pictured]):8.3f} s")
        print(f"{'  picture export, all':46} {export:8.3f} s = {100 * export / with_:.1f}% of the lint with pictures")
        print(
            f"{'  memory prediction without / with timeline':46} "
            f"{median([r['memory prediction'] for r in plain]):8.3f} / "
            f"{median([r['memory prediction'] for r in pictured]):.3f} s"
        )
        print(
            f"{'  Theano optimizer (both runs)':46} "
            f"{median([r['Theano optimizer'] for r in plain]):8.2f} / "
            f"{median([r['Theano optimizer'] for r in pictured]):.2f} s"
        )
        print(f"{'picture as JSON':46} {first['picture_bytes'] / 1e6:8.2f} MB")
        if importlib.util.find_spec("theanolint.report.html") is None:
            print("renderer: theanolint.report.html does not exist yet; not measured")
            return
        seen = renderer_round(project)
        print(f"{'theanolint --format html, whole command':46} {seen['command']:8.2f} s")
        print(
            f"{'  renderer (theanolint.report.html.render)':46} {seen['seconds']:8.2f} s, "
            f"{seen['bytes'] / 1e6:.2f} MB of HTML"
        )


if __name__ == "__main__":
    main()
