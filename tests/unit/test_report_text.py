"""theanolint.report.text: one line per finding, then the summary line."""

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
