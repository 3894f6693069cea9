"""The graph export of the HTML report (issue #9): what the workers send and the CLI passes on.

The data are checked where the CLI gets them: ``runner.run`` (real workers on a real
device, as ``theanolint --format html`` starts them), then ``triage`` and
``report.html_input.document``, which is exactly what ``theanolint.report.html.render`` receives.
"""

import os

import pytest
from conftest import EXAMPLES, PROJECTS, theanolint

from theanolint import triage
from theanolint.config import loading as configuration
from theanolint.device.target import from_config
from theanolint.protocol import summary_dict
from theanolint.report import Report, html_input
from theanolint.ruleset import catalog as ruleset
from theanolint.workers import runner

MISC = os.path.join(PROJECTS, "misc")


def lint(project, target, pictures=True, cache=False, config_file=".theanolint.yaml"):
    """The merged worker result of a lint of ``project``, as the CLI gets it."""
    config = configuration.load(os.path.join(str(project), config_file), ruleset.known_codes())
    job = runner.make_job(from_config(config, target), config, [], cache=cache, pictures=pictures)
    result = runner.run(job, jobs=2)
    assert not result.internal_errors, result.internal_errors
    return result, config


@pytest.fixture(scope="module")
def examples():
    """The example project on both targets (cuda: the virtual device here)."""
    return {target: lint(EXAMPLES, target)[0] for target in ("opencl", "cuda")}


@pytest.fixture(scope="module")
def misc():
    return lint(MISC, "opencl")[0]


@pytest.fixture(scope="module")
def results(examples, misc):
    return [examples["opencl"], examples["cuda"], misc]


def _index(picture):
    """id -> (kind of thing, its dict, its scope dict) over every scope."""
    index = {}
    for scope in picture["scopes"]:
        for kind in ("nodes", "leaves"):
            for item in scope[kind]:
                assert item["id"] not in index, item["id"]
                index[item["id"]] = (kind, item, scope)
    return index


def _check_picture(summary, picture, memory):
    index = _index(picture)
    nodes = [item for kind, item, _ in index.values() if kind == "nodes"]
    assert len(nodes) == summary["nodes"]
    assert sum(n["kind"] == "gpu" for n in nodes) == summary["gpu_nodes"]
    assert sum(n["kind"] == "transfer" for n in nodes) == summary["transfers"]
    scopes = {s["id"]: s for s in picture["scopes"]}
    assert picture["scopes"][0]["id"] == "s0" and picture["scopes"][0]["parent"] is None
    for scope in picture["scopes"]:
        assert [n["id"] for n in scope["nodes"]] == [f"{scope['id']}n{k}" for k in range(len(scope["nodes"]))]
        for producer, consumer in scope["edges"]:
            assert index[producer][2] is scope and index[consumer][0] == "nodes"
        assert all(index[out][2] is scope for out in scope["outputs"])
        if scope["parent"] is not None:
            owner = index[scope["parent"]["node"]][1]
            assert scope["id"] in owner["inner"] and scopes[scope["parent"]["scope"]] is not None
    for node in nodes:
        assert node["path"] is None or isinstance(node["line"], int)
        assert not os.path.isabs(node["path"] or "") or "site-packages" in node["path"]
    if memory is None or "total_gpu" not in memory:
        assert picture["memory"] is None
        return
    plot = picture["memory"]
    outer = picture["scopes"][0]["nodes"]
    # every outer node once, in the order of the run with the peak (toposort or the Stack VM's)
    assert sorted(step["node"] for step in plot["steps"]) == sorted(n["id"] for n in outer)
    assert max(step["live"] for step in plot["steps"]) == plot["peak"]["live"] == memory["total_gpu"]
    assert plot["steps"][plot["peak"]["step"]]["live"] == plot["peak"]["live"]
    assert plot["budget"] == memory["budget"] and plot["resident"] == memory["resident_gpu"]
    sizes = [b["bytes"] for b in plot["peak"]["buffers"]]
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) <= plot["peak"]["live"]
    assert all(index[b["node"]][2] is picture["scopes"][0] for b in plot["peak"]["buffers"])


def test_pictures_match_the_optimized_graphs(results):
    for result in results:
        memory = {m["name"]: m for m in result.memory or ()}
        graphs = [summary_dict(u) for u in result.functions if u.nodes]
        assert graphs and set(result.pictures) == {u["name"] for u in graphs}
        for summary in graphs:
            _check_picture(summary, result.pictures[summary["name"]], memory.get(summary["name"]))


# Findings about a whole function, not a part of its graph: no nodes.
WHOLE_FUNCTION = {"TL001", "TL002", "TL203", "TL501"}


def test_every_finding_names_nodes_of_its_function(results):
    codes = set()
    for result in results:
        for finding in result.findings:
            codes.add(finding.code)
            if finding.code in WHOLE_FUNCTION:
                assert "nodes" not in finding.data, finding
                continue
            index = _index(result.pictures[finding.function])
            assert finding.data["nodes"], finding
            assert all(i in index for i in finding.data["nodes"]), finding
            scopes = {index[i][2]["label"] for i in finding.data["nodes"]}
            assert scopes == {finding.scope or "outer graph"}, finding
    assert {"TL101", "TL201", "TL202", "TL301", "TL302", "TL401", "TL601"} <= codes


def _path_is_connected(ids, scope):
    edges = {tuple(edge) for edge in scope["edges"]}
    return all((later, earlier) in edges for earlier, later in zip(ids, ids[1:]))


def _leading_path(ids, scope):
    """The longest prefix of ``ids`` in which each node feeds the one before it."""
    edges = {tuple(edge) for edge in scope["edges"]}
    length = 1
    while length < len(ids) and (ids[length], ids[length - 1]) in edges:
        length += 1
    return ids[:length]


def test_float64_findings_trace_the_path_back_to_their_cause(results):
    causes = []
    for result in results:
        for finding in (f for f in result.findings if f.code == "TL101"):
            index = _index(result.pictures[finding.function])
            # the path back to the cause first, then what TL101 counted with it (optimizer
            # state, ops on the same line), each highlighted in the picture
            ids = _leading_path(finding.data["nodes"], index[finding.data["nodes"][0]][2])
            first, last = index[ids[0]], index[ids[-1]]
            assert first[0] == "nodes" and first[1]["float64"], finding
            assert _path_is_connected(ids, first[2]), finding
            if last[0] == "leaves":  # a float64 input, shared variable or constant
                assert last[1]["float64"] and last[1]["dtype"] == "float64", finding
                causes.append(last[1]["kind"])
            else:  # an op that upcasts (an int64 operand, a cast)
                assert last[1]["float64"] and "float64" in finding.message, finding
                causes.append("op")
    assert {"shared", "constant", "input", "op"} <= set(causes)


def test_host_ops_between_gpu_ops_show_the_copies(results):
    seen = 0
    for result in results:
        for finding in (f for f in result.findings if f.code == "TL201"):
            index = _index(result.pictures[finding.function])
            kinds = [index[i][1]["kind"] for i in finding.data["nodes"]]
            assert kinds[0] == "host" and "transfer" in kinds, finding
            ops = [index[i][1]["op"] for i in finding.data["nodes"] if index[i][1]["kind"] == "transfer"]
            assert any(op.startswith("HostFromGpu") for op in ops), finding
            assert any(op.startswith("GpuFromHost") for op in ops), finding
            seen += 1
    assert seen >= 3


def test_inner_graphs_are_scopes_of_their_outer_node(examples, misc):
    lm = examples["cuda"].pictures["lm.train:train"]
    assert [s["label"] for s in lm["scopes"]] == ["outer graph", "scan 'lstm'", "scan 'grad_of_lstm'"]
    scan = misc.pictures["scan_float64:0"]
    (inner,) = scan["scopes"][1:]
    owner = _index(scan)[inner["parent"]["node"]][1]
    assert owner["inner"] == [inner["id"]] and owner["op"].startswith("forall_inplace")
    (finding,) = [f for f in misc.findings if f.function == "scan_float64:0"]
    assert all(i.startswith(inner["id"] + "n") or i.startswith(inner["id"] + "v") for i in finding.data["nodes"])


def test_transfers_per_call_count_scan_steps(examples):
    for result in examples.values():
        lm = result.pictures["lm.train:train"]
        per_scope = {}
        for _kind, item, scope in _index(lm).values():
            per_scope[scope["id"]] = per_scope.get(scope["id"], 0) + (item.get("kind") == "transfer")
        steps = 50  # seq_len of the example's dims
        assert lm["transfers"]["exact"]
        assert lm["transfers"]["count"] == per_scope["s0"] + steps * (per_scope["s1"] + per_scope["s2"])
        assert lm["transfers"]["bytes"] > 0


def test_same_function_same_picture(examples):
    again, _ = lint(EXAMPLES, "cuda")
    assert again.pictures == examples["cuda"].pictures
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in examples["cuda"].findings]


def test_a_lint_without_html_has_no_picture():
    run = theanolint("--format", "json", "--no-cache", cwd=MISC)
    assert run.code == 1 and "picture" not in run.report
    assert all("nodes" not in f["data"] for f in run.findings)
    result, _ = lint(MISC, "opencl", pictures=False)
    assert result.pictures == {}
    assert all("nodes" not in f.data for f in result.findings)


MODEL = """\
import numpy as np
import theano
import theano.tensor as T

import theanolint


@theanolint.register(name="model")
def model():
    x = T.matrix("x")
    a = T.dvector("a")  # theanolint: disable=TL101
    b = T.dvector("b")
    scale = theano.shared(1.0, name="scale")
    return theano.function([x, a, b], [T.exp(x).sum() * scale, (a + b).sum()], name="f")
"""


def _tiny(tmp_path):
    (tmp_path / "model.py").write_text(MODEL)
    (tmp_path / ".theanolint.yaml").write_text("target: opencl\nmodules: [model]\n")
    return tmp_path


def test_waived_findings_reach_the_report_marked(tmp_path):
    root = _tiny(tmp_path)
    assert theanolint("--write-baseline", "base.json", "--select", "TL202", cwd=root).code == 0
    (root / ".theanolint.yaml").write_text("target: opencl\nmodules: [model]\nbaseline: base.json\n")
    result, config = lint(root, "opencl")
    outcome = triage.triage(result, config, None, baseline_path=config["baseline"])
    data = html_input.document(
        Report(outcome.findings, outcome.result, "OpenCL", config["root"], waived=outcome.waived), version="0"
    )
    assert data["root"] == os.path.basename(str(root)) and len(data["functions"]) == 1
    assert "picture" in data["functions"][0] and "memory" in data["functions"][0]
    marks = sorted((f["code"], f["line"], f["waived"]) for f in data["findings"])
    assert marks == [("TL101", 11, "inline"), ("TL101", 12, None), ("TL101", 13, None), ("TL202", 13, "baseline")], (
        marks
    )
    assert all(f["data"]["nodes"] for f in data["findings"])
    json_run = theanolint("--format", "json", cwd=root)
    assert json_run.code == 1 and len(json_run.findings) == 2


def test_caches_never_give_an_html_run_a_result_without_pictures(tmp_path):
    root = _tiny(tmp_path)
    plain, _ = lint(root, "opencl", pictures=False, cache=True)
    assert plain.pictures == {}
    pictured, _ = lint(root, "opencl", cache=True)  # run cache: another key
    assert set(pictured.pictures) == {"model:f"}
    with open(root / "model.py", "a") as handle:
        handle.write("# an edit: the run cache misses, each function's result hits\n")
    for pictures in (False, True, True):
        again, _ = lint(root, "opencl", pictures=pictures, cache=True)
        assert again.functions[0].cached, again.functions
        assert bool(again.pictures) == pictures
        assert all(("nodes" in f.data) == pictures for f in again.findings)
    assert again.pictures == pictured.pictures


def test_html_exits_like_json_and_waived_findings_do_not_count(tmp_path):
    root = _tiny(tmp_path)
    for baseline in (False, True):
        if baseline:  # every finding waived
            assert theanolint("--write-baseline", "base.json", cwd=root).code == 0
            (root / ".theanolint.yaml").write_text("target: opencl\nmodules: [model]\nbaseline: base.json\n")
        as_json = theanolint("--format", "json", cwd=root)
        as_html = theanolint("--format", "html", "-o", "report/page.html", cwd=root)
        assert as_html.code == as_json.code == (0 if baseline else 1), as_html.stderr
        assert len(as_json.findings) == (0 if baseline else 3)
        page = (root / "report" / "page.html").read_text()
        assert page.lstrip().lower().startswith("<!doctype html") and "model:f" in page
