"""theanolint.report.text: one line per finding, then the summary line."""

import dataclasses

from unit_records import finding, report, result, summary

from theanolint.report import FORMATTERS, statistics, text

TARGET = "cuda (virtual CUDA device: compute capability 7.0, 16 GiB, cuDNN 7.6.5)"
ERROR = finding("TL101", path="models/mlp.py", line=36, message="float64 shared variable 'T'")
WARNING = finding("TL601", path="models/mlp.py", line=41, severity="warning", message="Print op left")
UNUSED = finding("TL003", path="models/lm.py", line=2, severity="warning", function="", message="unused suppression")


def _run(count):
    return result(functions=[summary(f"f{i}:g") for i in range(count)])


# --- summary ------------------------------------------------------------------


def test_summary_with_findings():
    line = text.summary(report([ERROR, WARNING, UNUSED], _run(4), target=TARGET))
    assert line == f"Found 3 problem(s) (1 error(s), 2 warning(s)) in 4 function(s) on {TARGET}."


def test_summary_all_passed():
    assert (
        text.summary(report([], _run(2), target="opencl (opencl0:0)"))
        == "All checks passed: 2 function(s) on opencl (opencl0:0)."
    )
    assert text.summary(report([], result(), target="cuda")) == "All checks passed: 0 function(s) on cuda."


def test_summary_names_the_baselined_findings():
    assert text.summary(report([ERROR], _run(1), target="cuda", baselined=3)) == (
        "Found 1 problem(s) (1 error(s), 0 warning(s)) in 1 function(s) on cuda."
        " (3 finding(s) in the baseline not shown)"
    )
    assert text.summary(report([], _run(1), target="cuda", baselined=1)) == (
        "All checks passed: 1 function(s) on cuda. (1 finding(s) in the baseline not shown)"
    )


# --- render -------------------------------------------------------------------


def test_one_line_per_finding_then_the_summary():
    out = text.render(report([ERROR, WARNING, UNUSED], _run(1), target="cuda"))
    assert out == (
        "models/mlp.py:36:0: TL101 float64 shared variable 'T' [mlp.train:train]\n"
        "models/mlp.py:41:0: TL601 Print op left [mlp.train:train]\n"
        "models/lm.py:2:0: TL003 unused suppression\n"  # no function, no [...]
        "Found 3 problem(s) (1 error(s), 2 warning(s)) in 1 function(s) on cuda.\n"
    )


def test_a_known_column_follows_the_line():
    at = dataclasses.replace(ERROR, column=23)
    assert text.render(report([at], quiet=True)).startswith("models/mlp.py:36:23: TL101 ")


def test_inner_graph_findings_keep_their_message():
    inner = finding(message="float64 op (inside scan 'step')", scope="scan 'step'")
    assert (
        text.render(report([inner], quiet=True))
        == "models/mlp.py:10:0: TL101 float64 op (inside scan 'step') [mlp.train:train]\n"
    )


def test_quiet_prints_only_the_findings():
    assert (
        text.render(report([ERROR], _run(1), quiet=True))
        == "models/mlp.py:36:0: TL101 float64 shared variable 'T' [mlp.train:train]\n"
    )
    assert text.render(report([], _run(1), quiet=True)) == ""


def test_color_marks_severities_and_the_summary():
    out = text.render(report([ERROR, WARNING], _run(1), target="cuda", color=True))
    lines = out.splitlines()
    assert lines[0] == (
        "\033[1mmodels/mlp.py:36:0:\033[0m \033[31mTL101\033[0m float64 shared variable 'T' [mlp.train:train]"
    )
    assert lines[1].startswith("\033[1mmodels/mlp.py:41:0:\033[0m \033[33mTL601\033[0m ")
    assert lines[2] == "\033[1m" + text.summary(report([ERROR, WARNING], _run(1), target="cuda")) + "\033[0m"
    assert "\033" not in text.render(report([ERROR, WARNING], _run(1)))


def test_verbose_adds_the_device_and_each_function():
    run = result(
        functions=[summary("a:f", nodes=56, gpu_nodes=39, transfers=9, optimize_seconds=0.123), summary("b:g")],
        device={"kind": "cuda", "name": "Tesla V100"},
        refused_launches=2,
        host_evaluations=3,
    )
    lines = text.render(report([ERROR], run, target="cuda", verbose=True)).splitlines()
    assert lines == [
        "target: cuda; device: Tesla V100",
        "3 function(s) the builders called while building ran on the host (not linted unless a builder made them)",
        "the virtual device refused 2 kernel launch(es): Theano could not fold those GPU constants, as logged",
        "models/mlp.py:36:0: TL101 float64 shared variable 'T' [mlp.train:train]",
        "  a:f: 56 nodes, 39 on the GPU, 9 transfers, optimized in 0.12 s",
        "  b:g: 0 nodes, 0 on the GPU, 0 transfers, optimized in 0.00 s",
        "Found 1 problem(s) (1 error(s), 0 warning(s)) in 2 function(s) on cuda.",
    ]


def test_verbose_without_a_device():
    lines = text.render(report([], result(), target="cuda", verbose=True)).splitlines()
    assert lines == ["target: cuda; device: ?", "All checks passed: 0 function(s) on cuda."]


def test_formatter_table_picks_findings_or_statistics():
    plain = report([ERROR], _run(1))
    counted = report([ERROR], _run(1), statistics=True)
    assert FORMATTERS["text"](plain) == text.render(plain)
    assert FORMATTERS["text"](counted) == statistics.text(counted)


# --- one line per problem -------------------------------------------------------


def _in(*functions, line=36, data=None):
    return [
        finding("TL101", path="models/mlp.py", line=line, message="float64 constant 0.5", function=f, data=data)
        for f in functions
    ]


def test_a_problem_in_several_functions_of_one_builder_is_one_line():
    out = text.render(report(_in("mnist.mlp:test", "mnist.mlp:train", "mnist.mlp:val"), _run(3), target="cuda"))
    assert out == (
        "models/mlp.py:36:0: TL101 float64 constant 0.5 [mnist.mlp: test, train, val]\n"
        "Found 1 problem(s) (1 error(s), 0 warning(s)) in 3 function(s) on cuda.\n"
    )


def test_functions_of_several_builders_are_named_in_full():
    line = text.render(report(_in("a.mlp:train", "b.mlp:train", "c:0"), quiet=True))
    assert line == "models/mlp.py:36:0: TL101 float64 constant 0.5 [in 3 functions: a.mlp:train, b.mlp:train, c:0]\n"


def test_a_long_list_is_cut():
    many = _in(*[f"lm:f{i}" for i in range(9)])
    assert text.render(report(many, quiet=True)).endswith(" [lm: f0, f1, f2, f3 and 5 more]\n")
    spread = _in(*[f"b{i}:f" for i in range(6)])
    assert text.render(report(spread, quiet=True)).endswith(" [in 6 functions: b0:f, b1:f, b2:f, b3:f and 2 more]\n")


def test_functions_without_a_builder_part_are_not_shortened():
    line = text.render(report(_in("raises", "no_function"), quiet=True))
    assert line.endswith(" [in 2 functions: no_function, raises]\n")


def test_no_two_lines_are_identical():
    findings = (
        _in("m:train", "m:valid")
        + _in("m:train", "m:valid", data={"key": "constant 0.5"})
        + _in("m:train", line=40)
        + _in("m:train", "m:train")  # the same finding twice in one function
        + [UNUSED, UNUSED]
    )
    lines = text.render(report(findings, quiet=True)).splitlines()
    assert len(lines) == len(set(lines)) == 3
    assert text.summary(report(findings, _run(2))).startswith("Found 3 problem(s) (2 error(s), 1 warning(s))")


def test_summary_counts_problems_and_the_linted_functions():
    line = text.summary(report(_in("m:a", "m:b", "m:c") + [WARNING], _run(5), target="cuda"))
    assert line == "Found 2 problem(s) (1 error(s), 1 warning(s)) in 5 function(s) on cuda."


# --- -v: details ------------------------------------------------------------------

DETAILED = finding(
    "TL201",
    line=12,
    message="host op on the GPU path",
    data={"details": ["HostFromGpu(gpuarray)(GpuElemwise{add}.0)", "Traceback:\n  File a.py\n  File b.py"]},
)


def test_verbose_prints_the_details_under_their_finding():
    lines = text.render(report([DETAILED, WARNING], _run(1), target="cuda", verbose=True)).splitlines()
    at = lines.index("models/mlp.py:12:0: TL201 host op on the GPU path [mlp.train:train]")
    assert lines[at + 1 : at + 6] == [
        "    HostFromGpu(gpuarray)(GpuElemwise{add}.0)",
        "    Traceback:",
        "      File a.py",
        "      File b.py",
        "models/mlp.py:41:0: TL601 Print op left [mlp.train:train]",
    ]


def test_details_are_left_out_without_verbose():
    out = text.render(report([DETAILED], _run(1), quiet=True))
    assert out == "models/mlp.py:12:0: TL201 host op on the GPU path [mlp.train:train]\n"


def test_details_of_odd_shapes():
    assert text.details(finding(data={"details": "one\ntwo"})) == ["    one", "    two"]
    assert text.details(finding(data={})) == text.details(finding(data={"details": []})) == []
