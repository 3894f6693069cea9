"""Where a cold lint's time goes: a pyinstrument profile of the worker, in shares.

    .venv/bin/python benchmarks/profile_lint.py [PROJECT] [--generated N] [--deep LAYERS]
                                                [--save FILE.txt] [--repeat N]

PROJECT defaults to examples/; ``--generated N`` lints scale.py's generated project of
N functions instead, ``--deep LAYERS`` one of scale.py's deep MLPs.  The job is
exactly the one ``theanolint -j 1`` would give its worker, with an empty result
cache.  The worker runs in its own process, as always; the parent times the process
around it.
The shares come from N unprofiled runs (default 3; the median run by process time),
with cheap timers wrapped around the functions below (each call's time less the
wrapped calls inside it); one more run under pyinstrument names theanolint's own
costliest functions.  Shares:

- process start-up (interpreter and theanolint's imports, before the worker's thread);
- Theano import with the device (``device.startup.start_theano``);
- project module imports (``workers.main._import``);
- builders (run under capture, ``analysis.building.build``, as ``analysis.pipeline`` calls it);
- Theano's optimizer (``analysis.optimize.optimize``: FunctionMaker, also for inner graphs);
- theanolint's own work: graph walk (``analysis.graph.build_scopes`` less the inner
  optimizer), cache key (``analysis.fingerprint.key``), result cache I/O
  (``cache.results``), memory prediction (``analysis.memory.check``), rules
  (``analysis.pipeline.run_rules``), the rest of the worker (``workers.main.lint``:
  summaries, traced files, channel);
- process exit;

and the theanolint functions that take the most time.  ``--save`` writes pyinstrument's
text tree of that run.  pyinstrument is pinned in requirements/test.txt.
"""

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
import time

T_ENTER = time.time()

HERE = os.path.dirname(os.path.abspath(__file__))

# (category, module, attribute) wrapped with timers in the unprofiled runs; a wrapped
# call's time less the wrapped calls inside it goes to its category.  Each is called
# through its module's attribute (``workers.main._run`` imports start_theano when it
# runs), so replacing the attribute times every call.
TIMED = [
    ("Theano import + device start-up", "theanolint.device.startup", "start_theano"),
    ("project module imports", "theanolint.workers.main", "_import"),
    ("builders (under capture)", "theanolint.analysis.pipeline", "build"),
    ("Theano optimizer (FunctionMaker)", "theanolint.analysis.optimize", "optimize"),
    ("theanolint: graph walk (build_scopes)", "theanolint.analysis.graph", "build_scopes"),
    ("theanolint: cache key (fingerprint)", "theanolint.analysis.fingerprint", "key"),
    ("theanolint: result cache I/O", "theanolint.cache.results", "store_entry"),
    ("theanolint: result cache I/O", "theanolint.cache.results", "load_entry"),
    ("theanolint: memory prediction", "theanolint.analysis.memory.check", "predict"),
    ("theanolint: memory prediction", "theanolint.analysis.memory.check", "fit"),
    ("theanolint: memory prediction", "theanolint.analysis.memory.check", "declared_names_check"),
    ("theanolint: rules", "theanolint.analysis.pipeline", "run_rules"),
]

# The profile's categories: a frame's self time goes to the nearest enclosing frame
# that runs one of these functions (itself included), else to "other".  The unprofiled
# runs count the rest of the worker as what the timers leave.
ATTRIBUTED = TIMED + [("theanolint: rest of the worker", "theanolint.workers.main", "lint")]

# (category, source file, function name) of each ATTRIBUTED function, read from the
# function itself after the profiled run (``_attribution``), so a function that moves
# to another file (``pipeline.build`` is defined in analysis/building.py) is still found.
CATEGORIES = []


def _attribution():
    import importlib

    found = []
    for category, module, name in ATTRIBUTED:
        code = getattr(importlib.import_module(module), name).__code__
        found.append((category, os.path.realpath(code.co_filename), code.co_name))
    return found


def _install_timers(totals):
    import importlib

    stack = []

    def wrap(category, function):
        def timed(*args, **kwargs):
            stack.append(0.0)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.perf_counter() - started
                inner = stack.pop()
                totals[category] = totals.get(category, 0.0) + spent - inner
                if stack:
                    stack[-1] += spent

        return timed

    def install(entries):
        for category, module, name in entries:
            holder = importlib.import_module(module)
            setattr(holder, name, wrap(category, getattr(holder, name)))

    # The other modules import Theano: wrap them only once the device has started.
    from theanolint.device import startup

    start_theano = startup.start_theano

    def start_then_install(*args, **kwargs):
        context = start_theano(*args, **kwargs)
        install(TIMED[1:])
        return context

    startup.start_theano = start_then_install
    install(TIMED[:1])


def child(job_path, channel, save, stats_path, timers):
    import threading

    from theanolint import protocol
    from theanolint.workers import main as worker

    imported = time.time()
    with open(job_path) as handle:
        job = protocol.job_from_dict(json.load(handle))  # as workers.main.main reads it
    sys.setrecursionlimit(worker.RECURSION_LIMIT)
    threading.stack_size(worker.STACK_BYTES)
    result = {}

    def work():
        if timers:
            profiler = None
        else:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.001)
            profiler.start()
        started = time.time()
        worker._run(job, channel)
        result["thread"] = time.time() - started
        if profiler is not None:
            profiler.stop()
        result["profiler"] = profiler

    totals = {}
    if timers:
        _install_timers(totals)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    if timers:
        totals["theanolint: rest of the worker"] = result["thread"] - sum(totals.values())
        with open(stats_path, "w") as handle:
            json.dump(
                {
                    "enter": T_ENTER,
                    "imported": imported,
                    "thread": result["thread"],
                    "sampled": result["thread"],
                    "shares": totals,
                    "ours": {},
                    "left": time.time(),
                },
                handle,
            )
        return
    profiler = result["profiler"]
    CATEGORIES[:] = _attribution()
    root = profiler.last_session.root_frame(trim_stem=False)
    shares, ours = {}, {}
    _walk(root, None, shares)
    _ours(root, ours, set())
    if save:
        with open(save, "w") as handle:
            handle.write(profiler.output_text(unicode=False, color=False, show_all=False))
    with open(stats_path, "w") as handle:
        json.dump(
            {
                "enter": T_ENTER,
                "imported": imported,
                "thread": result["thread"],
                "sampled": root.time,
                "shares": shares,
                "ours": ours,
                "left": time.time(),
            },
            handle,
        )


def _category(frame):
    path = _real(frame.file_path or "")
    for name, source, function in CATEGORIES:
        if frame.function == function and path == source:
            return name
    return None


@functools.lru_cache(maxsize=None)
def _real(path):
    return os.path.realpath(path) if path else path


def _walk(frame, current, shares):
    current = _category(frame) or current
    own = frame.time - sum(c.time for c in frame.children)
    shares[current or "other"] = shares.get(current or "other", 0.0) + own
    for c in frame.children:
        _walk(c, current, shares)


def _ours(frame, totals, open_keys):
    """Inclusive time of theanolint's functions (outermost call of each counted once),
    less the time spent in the optimizer and the builders below them."""
    path = (frame.file_path or "").replace(os.sep, "/")
    if _category(frame) in (
        "Theano optimizer (FunctionMaker)",
        "builders (under capture)",
        "Theano import + device start-up",
        "project module imports",
    ):
        return
    key = None
    if "/theanolint/" in path and "/benchmarks/" not in path:
        key = f"{path.split('/theanolint/', 1)[1]}:{frame.function}"
    if key and key not in open_keys:
        totals[key] = totals.get(key, 0.0) + frame.time - _excluded(frame)
    for c in frame.children:
        _ours(c, totals, open_keys | ({key} if key else set()))


def _excluded(frame):
    if _category(frame) in (
        "Theano optimizer (FunctionMaker)",
        "builders (under capture)",
        "Theano import + device start-up",
        "project module imports",
    ):
        return frame.time
    return sum(_excluded(c) for c in frame.children)


def profile_once(job, env, save, timers=False):
    import dataclasses

    from theanolint import protocol

    with tempfile.TemporaryDirectory(prefix="theanolint-profile-") as tmp:
        job = dataclasses.replace(job, cache_dir=os.path.join(tmp, "cache"), shard=(0, 1), skip=())
        job_path = os.path.join(tmp, "job.json")
        with open(job_path, "w") as handle:
            json.dump(protocol.job_dict(job), handle)
        stats_path = os.path.join(tmp, "stats.json")
        spawned = time.time()
        process = subprocess.run(
            [
                sys.executable,
                os.path.abspath(__file__),
                "--child",
                job_path,
                os.path.join(tmp, "channel.jsonl"),
                save or "",
                stats_path,
                "timers" if timers else "profile",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        ended = time.time()
        if process.returncode != 0 or not os.path.exists(stats_path):
            sys.exit("profiled worker failed:\n" + process.stderr[-4000:])
        with open(os.path.join(tmp, "channel.jsonl")) as handle:
            messages = [protocol.decode(line) for line in handle if line.strip()]
        fatal = [m for m in messages if isinstance(m, protocol.Fatal)]
        if fatal:
            sys.exit(f"profiled worker failed: {fatal[0].kind}: {fatal[0].message}")
        functions = sum(len(getattr(m, "entries", ())) for m in messages)
        with open(stats_path) as handle:
            stats = json.load(handle)
    stats.update(
        process=ended - spawned, functions=functions, startup=stats["imported"] - spawned, exit=ended - stats["left"]
    )
    return stats


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", default=os.path.join(HERE, "..", "examples"))
    parser.add_argument("--generated", type=int, default=0)
    parser.add_argument("--deep", type=int, default=0, help="lint one deep MLP of this many layers")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], args.child[1], args.child[2] or None, args.child[3], args.child[4] == "timers")

    sys.path.insert(0, HERE)
    import benchutil

    print("machine:", benchutil.machine())
    with tempfile.TemporaryDirectory(prefix="theanolint-profile-project-") as tmp:
        project = os.path.abspath(args.project)
        if args.generated:
            import scale

            project = scale.generated_project(os.path.join(tmp, "generated"), args.generated)
        if args.deep:
            import scale

            project = scale.write_project(os.path.join(tmp, "deep"), "deep", scale.DEEP.format(depths=[args.deep]))
        job, env = benchutil.capture_job(project, "-j", "1")
        runs = sorted(
            (profile_once(job, env, None, timers=True) for _ in range(args.repeat)), key=lambda r: r["process"]
        )
        run = runs[len(runs) // 2]
        profiled = profile_once(job, env, args.save)  # pyinstrument: function detail
        # The whole command, for the parent's share (run cache off, so workers start).
        command = sorted(benchutil.cli(project, "--no-cache", "-j", "1")[0] for _ in range(args.repeat))
    command_wall = command[len(command) // 2]

    print(
        f"{'worker process, cold, -j 1, timers':44} {run['process']:7.2f} s "
        f"(runs: {', '.join('%.2f' % r['process'] for r in runs)}); {run['functions']} function(s)"
    )
    print(
        f"{'whole command (theanolint --no-cache -j 1)':44} {command_wall:7.2f} s "
        f"(runs: {', '.join('%.2f' % c for c in command)})"
    )
    total = run["process"]
    rows = [("process start-up (interpreter, imports)", run["startup"])]
    rows += sorted(run["shares"].items(), key=lambda kv: -kv[1])
    rows.append(("thread overhead not sampled", max(0.0, run["thread"] - run["sampled"])))
    rows.append(("process exit", run["exit"]))
    print(f"\nShares of the worker process ({total:.2f} s = 100%):")
    for name, seconds in rows:
        print(f"  {name:44} {seconds:7.2f} s {100 * seconds / total:5.1f}%")
    print(
        f"  {'(the CLI parent around the worker)':44} {command_wall - total:7.2f} s "
        f"(command wall less the worker process)"
    )
    total = profiled["process"]
    print(
        f"\nUnder pyinstrument (1 ms; its overhead inflates Python-heavy code, the optimizer "
        f"most), worker process {total:.2f} s:"
    )
    for name, seconds in sorted(profiled["shares"].items(), key=lambda kv: -kv[1]):
        print(f"  {name:44} {seconds:7.2f} s {100 * seconds / total:5.1f}%")
    print("theanolint functions by inclusive time (less optimizer/builders/imports below them):")
    for name, seconds in sorted(profiled["ours"].items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {name:52} {seconds:7.3f} s {100 * seconds / total:5.1f}%")


if __name__ == "__main__":
    sys.exit(main())
