"""Property-based tests: random valid Theano graphs never break theanolint (#10).

Hypothesis draws graph specs (``graph_spec``); each becomes a builder module
(``graph_source``) linted on the OpenCL device and on the virtual CUDA device
by two long-lived driver processes (``graph_driver``, one per target, running
side by side).  Every answer must meet the invariants of ``graph_checks``: no
internal error or crash, every finding on a line of the builder and on an
object of the optimized graphs, TL101 iff the optimized graph computes
float64.  Batches of drawn graphs then go through the real command line on
both targets: -j 1, -j 2 and a cached rerun give the same findings as the
in-process lint, and every JSON report validates against the schema.

CI runs a fixed, derandomized profile; ``THEANOLINT_GRAPH_PROFILE=graphs-explore``
draws new graphs and keeps failures in .hypothesis/.  A failure found once
goes into graph_regressions.json (see tests/robustness/README.md).
"""

import collections
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import graph_checks
import pytest
from graph_spec import graph_specs
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from lint_drivers import TARGETS, Drivers

HERE = os.path.dirname(os.path.abspath(__file__))
REGRESSIONS = os.path.join(HERE, "graph_regressions.json")

settings.register_profile(
    "graphs-ci",
    max_examples=int(os.environ.get("THEANOLINT_GRAPH_EXAMPLES", "600")),
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "graphs-explore",
    settings.get_profile("graphs-ci"),
    derandomize=False,
    database=DirectoryBasedExampleDatabase(os.path.join(".hypothesis", "graphs")),
)
PROFILE = settings.get_profile(os.environ.get("THEANOLINT_GRAPH_PROFILE", "graphs-ci"))
BATCHES, BATCH_SIZE = 3, 24  # graphs through the real command line: BATCHES x BATCH_SIZE
BATCH_PROFILE = settings(PROFILE, max_examples=BATCHES, phases=[Phase.explicit, Phase.generate])


@pytest.fixture(scope="module")
def drivers(tmp_path_factory):
    started = Drivers(str(tmp_path_factory.mktemp("graphs")))
    yield started
    started.close()


def _lint_and_check(drivers, spec, name, tally=None, in_hypothesis=True):
    """Lint builder ``name`` for ``spec`` on both targets; fail on any broken invariant."""
    source = drivers.write(spec, name)
    if in_hypothesis:
        note(f"builder module:\n{source}\nregression entry spec: {json.dumps(spec)}")
    answers = drivers.lint(name)
    found = []
    for kind, answer in answers.items():
        found += [f"{kind}: {problem}" for problem in graph_checks.problems(answer, name, source)]
        for code in sorted(set(graph_checks.codes(answer))):
            if in_hypothesis:
                event(f"{kind} {code}")
            if tally is not None:
                tally[f"{kind} {code}"] += 1
    assert not found, "\n".join(found)
    return answers


def test_random_graphs_lint_cleanly_on_both_targets(drivers):
    tally = collections.Counter()

    @PROFILE
    @given(spec=graph_specs())
    def lint_one(spec):
        tally["graphs"] += 1
        _lint_and_check(drivers, spec, f"g{tally['graphs']:05d}", tally)

    lint_one()
    print(f"\nrandom graphs: {dict(sorted(tally.items()))}")
    assert tally["graphs"] >= PROFILE.max_examples


def _regressions():
    with open(REGRESSIONS) as handle:
        return json.load(handle)


def _without_module(answer, name):
    findings = [f for entry in answer["entries"] for f in entry["findings"]]
    return sorted(json.dumps(f, sort_keys=True).replace(name, "MODULE") for f in findings)


@pytest.mark.parametrize("case", _regressions(), ids=lambda case: case["id"])
def test_regression_graphs(drivers, case):
    """Graphs that once broke an invariant (graph_regressions.json), replayed every run:
    twice, as two builder modules, since a process lints many builders one after another."""
    module = "r_" + case["id"].replace("-", "_")
    first = _lint_and_check(drivers, case["spec"], module, in_hypothesis=False)
    second = _lint_and_check(drivers, case["spec"], module + "_again", in_hypothesis=False)
    for kind in TARGETS:
        assert _without_module(first[kind], module) == _without_module(second[kind], module + "_again"), kind


# --- batches through the real command line ---------------------------------------------


def _cli(root, config, kind, *options):
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "theanolint",
            "check",
            "--config",
            config,
            "--target",
            kind,
            "--format",
            "json",
            *options,
        ],
        cwd=root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert "Traceback" not in process.stderr and "internal error" not in process.stderr, process.stderr[-3000:]
    assert process.returncode in (0, 1), (process.returncode, process.stderr[-3000:])
    report = json.loads(process.stdout)
    errors = graph_checks.REPORT.iter_errors(report)
    assert not (problems := [e.message for e in errors]), problems
    return process.returncode, report


def _runs(root, config, kind):
    """The batch on one target: -j 1 (cache written), -j 2 without the cache and with
    --memory, -j 1 again (from the cache) and --statistics (from the cache)."""
    return {
        "j1": _cli(root, config, kind, "-j", "1"),
        "j2": _cli(root, config, kind, "-j", "2", "--no-cache", "--memory"),
        "again": _cli(root, config, kind, "-j", "1"),
        "statistics": _cli(root, config, kind, "-j", "1", "--statistics"),
    }


def _by_function(findings):
    grouped = collections.defaultdict(list)
    for finding in findings:
        # the report lists a problem's functions (one here: a module makes one function);
        # the worker's findings leave that to the report
        finding = {k: v for k, v in finding.items() if k != "functions"}
        grouped[finding["function"].split(":")[0]].append(json.dumps(finding, sort_keys=True))
    return {name: sorted(items) for name, items in grouped.items()}


def _compare_batch(kind, runs, names, in_process):
    code, report = runs["j1"]
    assert code == (1 if any(f["severity"] == "error" for f in report["findings"]) else 0)
    assert {f["name"].split(":")[0] for f in report["functions"]} == set(names), f"{kind}: functions lost"
    for label in ("j2", "again"):
        other = runs[label][1]
        difference = _diff(_by_function(report["findings"]), _by_function(other["findings"]))
        assert other["findings"] == report["findings"], f"{kind}: {label} differs from -j 1: {difference}"
    assert all(f.get("cached") for f in runs["again"][1]["functions"])
    counts = collections.Counter(f["code"] for f in report["findings"])
    assert {row["code"]: row["count"] for row in runs["statistics"][1]["statistics"]} == counts
    assert _diff(_by_function(report["findings"]), in_process) == {}, f"{kind}: CLI vs in-process"


def _diff(left, right):
    return {
        name: {"left": left.get(name), "right": right.get(name)}
        for name in set(left) | set(right)
        if left.get(name, []) != right.get(name, [])
    }


def test_batches_through_the_command_line(drivers):
    batches = collections.Counter()

    @BATCH_PROFILE
    @given(specs=st.lists(graph_specs(), min_size=BATCH_SIZE, max_size=BATCH_SIZE))
    def lint_batch(specs):
        batch = batches["batches"]
        batches["batches"] += 1
        names = [f"b{batch}_{index:02d}" for index in range(len(specs))]
        in_process = {kind: {} for kind in TARGETS}
        for name, spec in zip(names, specs):
            answers = _lint_and_check(drivers, spec, name)
            for kind, answer in answers.items():
                findings = [f for entry in answer["entries"] for f in entry["findings"]]
                if findings:
                    in_process[kind][name] = _by_function(findings)[name]
        config = f"batch{batch}.yaml"
        with open(os.path.join(drivers.root, config), "w") as handle:
            handle.write(f"modules: [{', '.join(names)}]\ncache_dir: .cache{batch}\n")
        with ThreadPoolExecutor(len(TARGETS)) as pool:  # both targets at once
            futures = {kind: pool.submit(_runs, drivers.root, config, kind) for kind in TARGETS}
            runs = {kind: future.result() for kind, future in futures.items()}
        for kind in TARGETS:
            _compare_batch(kind, runs[kind], names, in_process[kind])
        batches["graphs"] += len(specs)

    lint_batch()
    print(f"\ncommand-line batches: {dict(batches)}")
    assert batches["graphs"] >= BATCHES * BATCH_SIZE
