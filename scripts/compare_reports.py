"""Write the text, JSON and SARIF reports of examples/ and of every test project, or
compare two such folders: the check that a refactoring left every report as it was.

    python scripts/compare_reports.py write OUT [--repo DIR]
    python scripts/compare_reports.py diff BEFORE AFTER

``write`` runs the ``theanolint`` of ``--repo`` (default: this checkout) on each
config, after ``theanolint clean``: text with a cold cache, then JSON and SARIF
(which the run cache answers), then ``--memory`` and ``--statistics``.  What a run
cannot repeat is normalised: durations (``*_seconds``) become 0, the Python
environment's path becomes ``<VENV>`` and the checkout's own path ``<REPO>``.
``diff`` prints the files that differ and exits 1 if any.
keras/resnet50.theanolint.yaml is left out: it takes minutes.
"""

import argparse
import difflib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = [
    "examples/.theanolint.yaml",
    "tests/projects/deterministic/.theanolint.yaml",
    "tests/projects/deterministic/default.yaml",
    "tests/projects/hostile/.theanolint.yaml",
    "tests/projects/hostile/normal.theanolint.yaml",
    "tests/projects/identity/.theanolint.yaml",
    "tests/projects/keras/.theanolint.yaml",
    "tests/projects/keras/deep.theanolint.yaml",
    "tests/projects/keras/rng.theanolint.yaml",
    "tests/projects/memory/.theanolint.yaml",
    "tests/projects/memory/seed.yaml",
    "tests/projects/misc/.theanolint.yaml",
    "tests/projects/theanolm/.theanolint.yaml",
]
RUNS = [
    ("txt", ["--no-cache"]),
    ("json", ["--format", "json"]),
    ("sarif", ["--format", "sarif"]),
    ("memory.txt", ["--memory"]),
    ("statistics.txt", ["--statistics"]),
]
_SECONDS = re.compile(r'("[a-z_]*_seconds": )[0-9.e+-]+')


def _normalise(text: str, repo: str) -> str:
    text = _SECONDS.sub(r"\g<1>0", text)
    for prefix in (os.path.realpath(sys.prefix), sys.prefix):  # the venv may live in the repo
        text = text.replace(prefix, "<VENV>")
    return text.replace(os.path.realpath(repo), "<REPO>").replace(repo, "<REPO>")


def _sorted_files(text: str) -> str:
    """The JSON report with each function's ``files`` sorted after normalising: their
    order depends on where the checkout and the environment lie."""
    report = json.loads(text)
    for function in report.get("functions", []):
        if "files" in function:
            function["files"].sort()
    return json.dumps(report, indent=2) + "\n"


def write(out: str, repo: str) -> int:
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=repo, RNG_PROBE_OUT=os.path.join(out, "rng_probe.npz"))
    env.pop("CI", None)
    for config in CONFIGS:
        path = os.path.join(repo, config)
        folder = os.path.dirname(path)
        base = config.replace("/", "_").replace(".theanolint.yaml", "").replace(".yaml", "").strip("_.")
        subprocess.run(
            [sys.executable, "-m", "theanolint", "clean", "--config", path],
            cwd=folder,
            env=env,
            capture_output=True,
            check=True,
        )
        for suffix, options in RUNS:
            run = subprocess.run(
                [sys.executable, "-m", "theanolint", "--config", path, *options],
                cwd=folder,
                env=env,
                capture_output=True,
                text=True,
            )
            text = _normalise(run.stdout, repo)
            if suffix == "json" and text.startswith("{"):
                text = _sorted_files(text)
            with open(os.path.join(out, f"{base}.{suffix}"), "w") as handle:
                handle.write(f"exit {run.returncode}\n" + text)
            print(f"{base}.{suffix}: exit {run.returncode}", flush=True)
    return 0


def diff(before: str, after: str) -> int:
    names = sorted(set(os.listdir(before)) | set(os.listdir(after)))
    differ = 0
    for name in names:
        if name.endswith(".npz"):
            continue
        texts = []
        for folder in (before, after):
            path = os.path.join(folder, name)
            texts.append(open(path).read().splitlines(True) if os.path.exists(path) else [])
        if texts[0] != texts[1]:
            differ += 1
            sys.stdout.writelines(difflib.unified_diff(*texts, f"before/{name}", f"after/{name}"))
    print(f"{len(names) - differ} of {len(names)} reports identical", file=sys.stderr)
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    writing = commands.add_parser("write")
    writing.add_argument("out")
    writing.add_argument("--repo", default=HERE)
    comparing = commands.add_parser("diff")
    comparing.add_argument("before")
    comparing.add_argument("after")
    args = parser.parse_args()
    if args.command == "write":
        return write(os.path.abspath(args.out), os.path.abspath(args.repo))
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
