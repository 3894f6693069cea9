"""theanolint.report.memory: the ``--memory`` table, ``size()`` and ``--dim`` parsing."""

import pytest
from unit_records import memory_row, unknown_memory_row

from theanolint.builders import ShapeError
from theanolint.report.memory import parse_dims, render, size

# --- size ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "count, expected",
    [
        (0, "0 B"),
        (1, "1 B"),
        (1023, "1023 B"),
        (1023.5, "1023.5 B"),
        (1024, "1.00 KiB"),
        (1536, "1.50 KiB"),
        (2**20 - 1, "1024.00 KiB"),
        (2**20, "1.00 MiB"),
        (5 * 2**20 + 2**19, "5.50 MiB"),
        (2**30, "1.00 GiB"),
        (16 * 2**30, "16.00 GiB"),
        (2**40, "1024.00 GiB"),
    ],
)  # GiB is the largest unit
def test_size(count, expected):
    assert size(count) == expected


def test_size_spec():
    assert size(3 * 2**30, ".0f") == "3 GiB"
    assert size(1536, ".3f") == "1.500 KiB"
    assert size(512, ".3f") == "512 B"  # bytes ignore the spec


# --- parse_dims ---------------------------------------------------------------


def test_parse_dims():
    assert parse_dims([]) == {}
    assert parse_dims(["batch=256", "seq_len=0", "_x=3"]) == {"batch": 256, "seq_len": 0, "_x": 3}
    assert parse_dims(["batch=1", "batch=2"]) == {"batch": 2}  # the last one wins


@pytest.mark.parametrize(
    "item",
    [
        "batch",
        "batch=",
        "=256",
        "batch=-1",
        "batch=2.5",
        "batch=1e3",
        "2batch=3",
        "my-dim=3",
        "batch = 3",
        "batch=0x10",
        "",
    ],
)
def test_parse_dims_refuses(item):
    with pytest.raises(ShapeError, match=r"^--dim .*: use NAME=SIZE, e\.g\. --dim batch=256$"):
        parse_dims(["ok=1", item])


# --- render -------------------------------------------------------------------


def test_render_nothing():
    assert render([]) == ""


def test_render_a_prediction():
    out = render([memory_row()])
    assert out == (
        "\nmemory of mlp.train:train:\n"
        "  GPU: peak working set 5.00 MiB + resident 1.00 GiB = 1.00 GiB (budget 16.00 GiB)\n"
        "  host: peak working set 2.00 KiB + resident 512 B = 2.50 KiB\n"
        "      3.00 MiB  GPU  float32(768, 1024)  GpuDot22  models/mlp.py:40\n"
        "      4.00 KiB  host float32(1024,)  input  models/mlp.py:12 (inside scan 'step')\n"
    )


def test_render_unknown_inputs():
    assert render([unknown_memory_row()]) == (
        "\nmemory of lm.train:train:\n"
        "  no prediction: input shapes unknown for x, y (declare shapes= at registration or give "
        "the inputs test values)\n"
    )


def test_render_assumed_and_fit():
    out = render(
        [memory_row(assumed=["models/mlp.py:50", "models/mlp.py:51"], fit={"dim": "batch", "size": 4096}, largest=[])]
    )
    assert out.splitlines()[4:] == [
        "  assumed sizes (no TL501/TL502 rests on them):",
        "    models/mlp.py:50",
        "    models/mlp.py:51",
        "  largest batch that fits: 4096",
    ]
    out = render([memory_row(fit={"dim": "batch", "size": None, "why": "none fits"}, largest=[])])
    assert out.splitlines()[-1] == "  no size of batch fits the budget"


def test_render_why_sizes_were_assumed_and_notes():
    row = memory_row(largest=[])
    row["assumptions"] = [{"where": f"m.py:{n}", "why": "Foo has no shape rule"} for n in range(7)]
    row["notes"] = ["x: declared shape (64, 784) used, not its test value's (2, 784)"]
    lines = render([row]).splitlines()[4:]
    assert lines[0] == "  note: x: declared shape (64, 784) used, not its test value's (2, 784)"
    assert lines[1:4] == [
        "  assumed sizes (no TL501/TL502 rests on them):",
        "    m.py:0: Foo has no shape rule",
        "    m.py:1: Foo has no shape rule",
    ]
    assert lines[-1] == "    ... and 2 more (--format json lists them)"


def test_render_fit_that_cannot_be_chosen():
    independent = render([memory_row(fit={"dim": "batch", "size": None, "why": "independent"}, largest=[])])
    assert independent.splitlines()[-1] == (
        "  the prediction does not depend on batch: no shape of this function uses it"
    )
    assumed = render([memory_row(fit={"dim": "batch", "size": None, "why": "assumed"}, largest=[])])
    assert "rests on assumed sizes" in assumed.splitlines()[-1]


def test_render_long_op_names_are_cut():
    buffer = {"bytes": 10, "shape": [], "dtype": "int64", "gpu": True, "op": "X" * 80, "where": "m.py:1", "scope": ""}
    line = render([memory_row(largest=[buffer])]).splitlines()[-1]
    assert line == "          10 B  GPU  int64()  " + "X" * 50 + "  m.py:1"


def test_render_several_functions_in_order():
    out = render([memory_row("a:f", largest=[]), unknown_memory_row("b:f"), memory_row("c:f", largest=[])])
    assert [line for line in out.splitlines() if line.startswith("memory of")] == [
        "memory of a:f:",
        "memory of b:f:",
        "memory of c:f:",
    ]
    assert out.endswith("\n") and not out.endswith("\n\n")


@pytest.mark.xfail(
    strict=True,
    reason="bug: parse_dims checks str.isdigit(), which accepts '²', "
    "then int() raises ValueError (a traceback, not exit 2)",
)
def test_parse_dims_refuses_non_decimal_digits():
    with pytest.raises(ShapeError):
        parse_dims(["batch=\u00b2"])
