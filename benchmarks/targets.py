"""Start-up and optimize time of the virtual CUDA device next to the OpenCL target.

    .venv/bin/python benchmarks/targets.py [PROJECT] [--repeat N]

Runs ``theanolint --format json`` on the project (default: examples/) for each
target, N times (default 3), and prints the median device start-up time (Theano
import with the device, measured in the worker), the median optimize time per
function, the whole run's wall time, and the ratios virtual CUDA / OpenCL,
all measured in this one run.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def lint(project, target):
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "theanolint", "--format", "json", "--target", target],
        cwd=project,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if process.returncode not in (0, 1):
        sys.exit(f"theanolint failed on {target}: {process.stderr[-2000:]}")
    report = json.loads(process.stdout)
    optimize = {f["name"]: f["optimize_seconds"] for f in report["functions"]}
    return report["startup_seconds"], optimize, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", default=os.path.join(HERE, "..", "examples"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = {}
    for target in ("opencl", "cuda"):
        lint(args.project, target)  # warm the compile caches
        runs = [lint(args.project, target) for _ in range(args.repeat)]
        results[target] = {
            "startup": statistics.median(r[0] for r in runs),
            "wall": statistics.median(r[2] for r in runs),
            "optimize": {name: statistics.median(r[1][name] for r in runs) for name in runs[0][1]},
        }
    ocl, cuda = results["opencl"], results["cuda"]
    print(f"{'':34} {'opencl':>9} {'virtual cuda':>13} {'ratio':>7}")
    print(
        f"{'device start-up (Theano import)':34} {ocl['startup']:8.2f}s {cuda['startup']:12.2f}s "
        f"{cuda['startup'] / ocl['startup']:7.2f}"
    )
    for name in sorted(ocl["optimize"]):
        a, b = ocl["optimize"][name], cuda["optimize"][name]
        print(f"{'optimize ' + name:34} {a:8.2f}s {b:12.2f}s {b / a if a else float('nan'):7.2f}")
    print(f"{'whole run (wall)':34} {ocl['wall']:8.2f}s {cuda['wall']:12.2f}s {cuda['wall'] / ocl['wall']:7.2f}")


if __name__ == "__main__":
    main()
