"""theanolint.workers.runner (parent side): merging the workers' messages, what is cached,
and the job it prepares.  No worker is started here."""

import os

import pytest
from unit_records import finding, memory_row, summary

from theanolint.builders import ShapeError
from theanolint.config.loading import defaults
from theanolint.device.target import Target, TargetError
from theanolint.findings import Finding
from theanolint.protocol import BuilderDone, BuilderStarted, End, Entries, Fatal, FunctionEntry, Started
from theanolint.workers import runner
from theanolint.workers.pool import WorkerError
from theanolint.workers.runner import _repeatable, cache_dir, find_builder_files, make_job, merge


def _entry(name, *findings, **fields):
    return FunctionEntry(summary=summary(name, files=[f"/p/{name}.py"]), findings=tuple(findings), **fields)


def test_merge_sorts_functions_by_name_and_findings_by_place():
    late = finding(path="b.py", line=1, function="zeta:f")
    early = finding(path="a.py", line=9, function="zeta:f")
    messages = [
        BuilderStarted("zeta", "/p/zeta.py", 1),
        BuilderDone("zeta", (_entry("zeta:f", late, early),)),
        BuilderDone("alpha", (_entry("alpha:g", finding(path="a.py", line=2, function="alpha:g")), _entry("alpha:f"))),
        Entries((_entry("import m", finding("TL001", path="m.py", line=1, function="import m")),)),
        End(),
    ]
    failure = _entry("mid:f", finding("TL004", path="mid.py", line=3, function="mid:f"))
    result = merge(messages, [failure], "the log")
    assert [f.name for f in result.functions] == ["alpha:f", "alpha:g", "import m", "mid:f", "zeta:f"]
    assert [(f.path, f.line) for f in result.findings] == [
        ("a.py", 2),
        ("a.py", 9),
        ("b.py", 1),
        ("m.py", 1),
        ("mid.py", 3),
    ]
    assert list(result.findings) == sorted(result.findings, key=Finding.sort_key)
    assert result.log == "the log"
    assert not any(f.cached for f in result.functions)


def test_merge_takes_the_first_device_and_sums_the_ends():
    messages = [
        Started({"kind": "cuda", "name": "first"}, 1.5),
        BuilderDone("a", (_entry("a:f"),)),
        End(("rule TL101 failed",), refused_launches=2, host_evaluations=1),
        Started({"kind": "cuda", "name": "second"}, 9.0),
        End(("rule TL601 failed",), refused_launches=3, host_evaluations=4),
    ]
    result = merge(messages, [], "")
    assert (result.device, result.startup_seconds) == ({"kind": "cuda", "name": "first"}, 1.5)
    assert result.internal_errors == ("rule TL101 failed", "rule TL601 failed")
    assert (result.refused_launches, result.host_evaluations) == (5, 5)


def test_merge_of_nothing():
    result = merge([], [], "")
    assert (result.functions, result.findings, result.graphs, result.pictures) == ((), (), {}, {})
    assert (result.memory, result.device, result.startup_seconds) == (None, None, None)
    assert result.internal_errors == () and result.refused_launches == 0


def test_merge_marks_a_cached_run():
    result = merge([BuilderDone("a", (_entry("a:f"), _entry("a:g")))], [_entry("b:f")], "", cached=True)
    assert [f.cached for f in result.functions] == [True, True, True]
    assert [f.files for f in result.functions] == [("/p/a:f.py",), ("/p/a:g.py",), ("/p/b:f.py",)]


def test_merge_memory_graphs_and_pictures():
    messages = [
        BuilderDone("b", (_entry("b:f", memory=memory_row("b:f"), graph="B", picture={"n": 2}),)),
        BuilderDone("a", (_entry("a:f", memory=memory_row("a:f"), graph="A"), _entry("a:g"))),
    ]
    result = merge(messages, [], "")
    assert result.memory == (memory_row("a:f"), memory_row("b:f"))  # in name order
    assert result.graphs == {"a:f": "A", "b:f": "B"}
    assert result.pictures == {"b:f": {"n": 2}}


def test_merge_memory_is_none_when_no_entry_has_memory():
    assert merge([BuilderDone("a", (_entry("a:f"), _entry("a:g")))], [], "").memory is None
    assert merge(
        [BuilderDone("a", (_entry("a:f", memory={"name": "a:f", "unknown_inputs": ["x"]}),))], [], ""
    ).memory == ({"name": "a:f", "unknown_inputs": ["x"]},)


@pytest.mark.parametrize(
    "kind, error",
    [("shape", ShapeError), ("worker", WorkerError), ("target", TargetError), ("anything else", TargetError)],
)
def test_merge_raises_a_fatal_message(kind, error):
    messages = [
        Started({"kind": "cuda", "name": "x"}, 1.0),
        BuilderDone("a", (_entry("a:f"),)),
        Fatal(kind, "what went wrong"),
    ]
    with pytest.raises(error, match="^what went wrong$"):
        merge(messages, [], "")


def test_merge_raises_the_first_fatal_message():
    with pytest.raises(ShapeError):
        merge([Fatal("shape", "a"), Fatal("worker", "b")], [], "")


# --- _repeatable --------------------------------------------------------------


def test_a_clean_run_is_repeatable():
    assert _repeatable([Started({}, 1.0), BuilderDone("a", (_entry("a:f"),)), End()], [])
    assert _repeatable([], [])
    assert _repeatable([End()], [_entry("a:f", finding("TL001"))])  # a build error repeats


def test_fatal_or_internal_errors_are_not_repeatable():
    assert not _repeatable([Fatal("target", "x")], [])
    assert not _repeatable([Started({}, 1.0), Fatal("shape", "x")], [])
    assert not _repeatable([End(("rule failed",))], [])
    assert not _repeatable([End(), End(("rule failed",))], [])


@pytest.mark.parametrize("code", ["TL004", "TL005"])
def test_crashes_and_timeouts_are_not_repeatable(code):
    assert not _repeatable([End()], [_entry("a:f"), _entry("b:f", finding("TL001"), finding(code))])


# --- the job ------------------------------------------------------------------


def _config(root):
    config = defaults()
    config.update(root=str(root), path=None, modules=["models.mlp"])
    return config


def test_cache_dir(tmp_path):
    config = _config(tmp_path)
    assert cache_dir(config, True) == os.path.join(str(tmp_path), ".theanolint_cache")
    assert cache_dir(config, False) is None
    assert cache_dir(dict(config, cache_dir=".cache/tl"), True) == os.path.join(str(tmp_path), ".cache/tl")
    assert cache_dir(dict(config, cache_dir="/abs/cache"), True) == "/abs/cache"
    assert cache_dir(dict(config, cache_dir=""), True) == os.path.join(str(tmp_path), ".theanolint_cache")


def test_make_job(tmp_path):
    config = _config(tmp_path)
    target = Target("opencl", "opencl0:0")
    job = make_job(
        target,
        config,
        ["/p/a.py"],
        select=["TL1"],
        ignore=["TL601"],
        dims={"batch": 2},
        fit="batch",
        memory=True,
        pictures=True,
    )
    assert (job.target, job.root, job.modules, job.files) == (target, str(tmp_path), ("models.mlp",), ("/p/a.py",))
    assert (job.select, job.ignore, job.only, job.graphs) == (("TL1",), ("TL601",), (), ())
    assert job.cache_dir == os.path.join(str(tmp_path), ".theanolint_cache")
    assert (job.memory, job.dims, job.fit, job.pictures) == (True, {"batch": 2}, "batch", True)
    assert (job.shard, job.skip) == ((0, 1), ())
    assert make_job(target, config, [], cache=False).cache_dir is None
    assert make_job(target, config, [], graphs=["*"]).cache_dir is None  # graphs: never cached
    assert make_job(target, config, [], dims=None).dims == {}


def test_find_builder_files(tmp_path, monkeypatch):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / ".hidden").mkdir()
    (tmp_path / "pkg" / "__pycache__").mkdir()
    uses = "import theanolint\n\n@theanolint.register(name='x')\ndef build(): pass\n"
    for name in ("pkg/b.py", "pkg/a.py", "pkg/sub/c.py", "pkg/.hidden/d.py", "pkg/__pycache__/e.py", "f.py"):
        (tmp_path / name).write_text(uses)
    (tmp_path / "pkg" / "plain.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "notes.txt").write_text(uses)
    monkeypatch.chdir(tmp_path)
    assert find_builder_files(["pkg", "f.py", "gone.py", "pkg/notes.txt"]) == [
        str(tmp_path / "pkg" / "a.py"),
        str(tmp_path / "pkg" / "b.py"),
        str(tmp_path / "pkg" / "sub" / "c.py"),
        str(tmp_path / "f.py"),
    ]
    assert find_builder_files([]) == []
    assert runner._uses_register(str(tmp_path / "gone.py")) is False
