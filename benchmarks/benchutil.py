"""Helpers shared by the speed benchmarks (lint_speed.py, scale.py, profile_lint.py).

Everything here runs theanolint the way a user does (the CLI, in a subprocess)
or captures exactly the job the CLI would hand to its workers, so the
benchmarks measure the real code paths and never a copy of them.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def cli(project, *args, check=True):
    """Run ``theanolint ARGS`` in ``project``; returns (wall seconds, parsed json or None)."""
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "theanolint", *args], cwd=project, capture_output=True, text=True, env=_clean_env()
    )
    wall = time.perf_counter() - start
    if check and process.returncode not in (0, 1):
        sys.exit(
            f"theanolint {' '.join(args)} failed in {project} (exit {process.returncode}):\n" + process.stderr[-3000:]
        )
    report = json.loads(process.stdout) if "--format" in args and "json" in args else None
    return wall, report


def clean(project):
    subprocess.run(
        [sys.executable, "-m", "theanolint", "clean"], cwd=project, capture_output=True, env=_clean_env(), check=True
    )


def _clean_env():
    env = dict(os.environ)
    env.pop("THEANO_FLAGS", None)
    env.pop("FORCE_COLOR", None)
    return env


def median(values):
    return statistics.median(values)


def spread(values):
    """(max - min) / median, the noise figure printed next to each median."""
    m = statistics.median(values)
    return (max(values) - min(values)) / m if m else 0.0


def fmt(values):
    """'1.23 s (±4%)' from repeated measurements: the median and the relative spread."""
    return f"{median(values):7.2f} s (spread {100 * spread(values):3.0f}%)"


def append_comment(path, text):
    """The edit a pre-commit run sees: a changed file whose graphs' lines stay the same."""
    with open(path, "a") as handle:
        handle.write(f"# {text}\n")


def copy_project(source, dest, exclude=(".theanolint_cache", "__pycache__")):
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(*exclude))
    return dest


def capture_job(project, *args):
    """The (job, env) that ``theanolint ARGS`` in ``project`` would give its workers.

    Runs the CLI in this process with ``pool.run`` replaced, so the job (a
    ``protocol.Job``) is exactly the CLI's (config, target, rules, options) and no
    worker starts.  ``write_job`` stores it as the pool does for a worker.
    """
    from theanolint import cli
    from theanolint.workers import pool

    seen = {}

    class _Stop(Exception):
        pass

    def fake_run(job, env, shards, total, timeout, scratch):
        seen.update(job=job, env=env)
        raise _Stop()

    saved, cwd = pool.run, os.getcwd()
    pool.run = fake_run
    os.chdir(project)
    try:
        cli.main(["check", "--no-cache", *args])
    except _Stop:
        pass
    finally:
        pool.run = saved
        os.chdir(cwd)
    if "job" not in seen:
        sys.exit(f"could not capture the lint job in {project}")
    return seen["job"], seen["env"]


def write_job(job, path):
    """Write ``job`` (a ``protocol.Job``) to ``path`` as the pool writes a worker's job file."""
    from theanolint import protocol

    with open(path, "w") as handle:
        json.dump(protocol.job_dict(job), handle)
    return path


def read_job(path):
    """The ``protocol.Job`` in a job file, as the worker reads it."""
    from theanolint import protocol

    with open(path) as handle:
        return protocol.job_from_dict(json.load(handle))


def run_child(script, argv, env, timeout=3600):
    """Run ``script ARGV`` with the worker's environment; returns its last stdout line as json."""
    process = subprocess.run([sys.executable, script, *argv], env=env, capture_output=True, text=True, timeout=timeout)
    if process.returncode != 0 or not process.stdout.strip():
        sys.exit(f"{os.path.basename(script)} child failed:\n{process.stderr[-4000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def machine():
    import platform

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return (
        f"{os.cpu_count()} cores ({platform.machine()}), Python {platform.python_version()}, "
        f"load average at start {load[0]:.2f}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
