"""theanolint.protocol: the records that cross the process line and their one serialization."""

import json

import pytest
from unit_records import finding, memory_row, result, summary

from theanolint.config.loading import defaults
from theanolint.device.target import Target
from theanolint.protocol import (
    MESSAGES,
    BuilderDone,
    BuilderStarted,
    End,
    Entries,
    Fatal,
    FunctionEntry,
    Job,
    ModuleDone,
    Started,
    decode,
    encode,
    entries_from_dicts,
    entry_dict,
    entry_from_dict,
    job_dict,
    job_from_dict,
    summary_dict,
)

FULL_SUMMARY = summary(
    "mlp.train:train",
    "models/mlp.py:67",
    files=["/p/models/mlp.py", "/p/layers.py"],
    nodes=56,
    gpu_nodes=39,
    transfers=9,
    optimize_seconds=0.25,
    error=True,
    cached=True,
)
FULL_ENTRY = FunctionEntry(
    summary=FULL_SUMMARY,
    findings=(
        finding("TL101", data={"ops": 2, "traced": True, "nodes": ["n1", "n2"]}),
        finding("TL601", severity="warning", scope="scan 'step'", message="Print op\nnext line"),
    ),
    memory=memory_row(),
    graph="GpuElemwise{exp}(x)\n  x: input\n",
    picture={"nodes": [{"id": "n1", "label": "exp"}], "edges": []},
)
BARE_ENTRY = FunctionEntry(summary=summary("lm.train:0", "models/lm.py:3"))

ALL_MESSAGES = [
    Started(device={"kind": "opencl", "name": "pthread-skylake"}, startup_seconds=1.25),
    BuilderStarted(name="mlp.train", path="/p/models/mlp.py", line=67),
    BuilderDone(name="mlp.train", entries=(FULL_ENTRY, BARE_ENTRY)),
    BuilderDone(name="empty", entries=()),
    BuilderDone(name="b", entries=(BARE_ENTRY,), depends=("/p/b.py", "/p/layers.py"), module="b"),
    ModuleDone(name="models.mlp", depends=("/p/models/__init__.py", "/p/models/mlp.py"), builders=("mlp.train",)),
    ModuleDone(name="broken", depends=(), builders=(), failed=True),
    Entries(entries=(BARE_ENTRY,)),
    Entries(entries=()),
    End(internal_errors=("TL101 failed: KeyError: 'x'", "another"), refused_launches=3, host_evaluations=2),
    End(),
    Fatal(kind="target", message="the GPU backend did not start"),
    Fatal(kind="shape", message="shapes of 'x': no input is named 'y'"),
    Fatal(kind="worker", message="the lint worker failed: ValueError: x"),
]


def test_every_message_type_is_covered():
    assert {type(m).__name__ for m in ALL_MESSAGES} == set(MESSAGES)


@pytest.mark.parametrize("message", ALL_MESSAGES, ids=lambda m: type(m).__name__)
def test_encode_decode_round_trip(message):
    line = encode(message)
    assert "\n" not in line
    assert json.loads(line)["type"] == type(message).__name__
    back = decode(line)
    assert type(back) is type(message)
    assert back == message


def test_decoded_sequences_are_tuples():
    done = decode(encode(ALL_MESSAGES[2]))
    assert isinstance(done.entries, tuple) and isinstance(done.entries[0].findings, tuple)
    assert isinstance(done.entries[0].summary.files, tuple)
    end = next(m for m in ALL_MESSAGES if isinstance(m, End) and m.internal_errors)
    assert isinstance(decode(encode(end)).internal_errors, tuple)
    module = decode(encode(next(m for m in ALL_MESSAGES if isinstance(m, ModuleDone))))
    assert isinstance(module.depends, tuple) and isinstance(module.builders, tuple)


def test_a_fatal_message_decodes():
    assert decode(encode(Fatal(kind="shape", message="x"))) == Fatal(kind="shape", message="x")


def test_decode_refuses_an_unknown_kind():
    with pytest.raises(KeyError):
        decode(json.dumps({"type": "Bogus"}))


# --- entries and summaries -----------------------------------------------------


def test_entry_dict_round_trip():
    for entry in (FULL_ENTRY, BARE_ENTRY):
        data = entry_dict(entry)
        assert entry_from_dict(json.loads(json.dumps(data))) == entry
    assert entries_from_dicts([entry_dict(FULL_ENTRY), entry_dict(BARE_ENTRY)]) == (FULL_ENTRY, BARE_ENTRY)
    assert entries_from_dicts([]) == ()


def test_entry_dict_leaves_out_what_is_none():
    assert set(entry_dict(BARE_ENTRY)) == {"summary", "findings"}
    assert set(entry_dict(FULL_ENTRY)) == {"summary", "findings", "memory", "graph", "picture"}
    assert entry_dict(FULL_ENTRY)["findings"] == [f.to_dict() for f in FULL_ENTRY.findings]


def test_entry_dict_never_carries_worker_only_fields():
    entry = FunctionEntry(summary=BARE_ENTRY.summary, findings=(finding(),))
    entry.findings[0].subjects = (object(),)
    entry.findings[0].subject_scope = object()
    data = entry_dict(entry)["findings"][0]
    assert "subjects" not in data and "subject_scope" not in data
    json.dumps(data)


def test_summary_dict_omits_unknown_files_and_false_cached():
    data = summary_dict(summary("a:f", "a.py:1"))
    assert data == {
        "name": "a:f",
        "register": "a.py:1",
        "nodes": 0,
        "gpu_nodes": 0,
        "transfers": 0,
        "optimize_seconds": 0.0,
        "error": False,
    }
    assert summary_dict(summary("a:f", "a.py:1", files=[]))["files"] == []
    data = summary_dict(FULL_SUMMARY)
    assert data["files"] == ["/p/models/mlp.py", "/p/layers.py"] and isinstance(data["files"], list)
    assert data["cached"] is True


def test_summary_round_trip_keeps_none_and_empty_files_apart():
    for files in (None, [], ["/a.py"]):
        entry = FunctionEntry(summary("a:f", "a.py:1", files=files))
        assert entry_from_dict(json.loads(json.dumps(entry_dict(entry)))).summary.files == (
            None if files is None else tuple(files)
        )


# --- jobs ---------------------------------------------------------------------


def _job(**changes):
    config = defaults()
    config.update(root="/p", path="/p/.theanolint.yaml", rules={"TL1": {"severity": "warning"}})
    fields = dict(
        target=Target(
            "cuda",
            "cuda0",
            "float32",
            virtual=True,
            profile={"compute_capability": "7.0", "memory": 2**34, "driver": 10010, "cudnn": "7.6.5"},
            extra_flags={"optimizer_excluding": "x"},
            lib_dir="/cache/vcuda",
        ),
        root="/p",
        modules=("models.mlp", "models.lm"),
        files=("/p/extra.py",),
        config=config,
        select=("TL1",),
        ignore=("TL601",),
        only=("mlp.train:train",),
        graphs=("*",),
        cache_dir="/p/.theanolint_cache",
        memory=True,
        dims={"batch": 64},
        fit="batch",
        pictures=True,
        shard=(1, 4),
        skip=("lm.train",),
    )
    fields.update(changes)
    return Job(**fields)


def test_job_round_trip_through_json():
    for job in (_job(), Job(target=Target("opencl", "opencl0:0"), root="/p", modules=(), files=(), config=defaults())):
        data = json.loads(json.dumps(job_dict(job)))
        assert job_from_dict(data) == job


def test_job_dict_is_plain_json():
    data = job_dict(_job())
    assert data["target"] == {
        "kind": "cuda",
        "device": "cuda0",
        "floatX": "float32",
        "virtual": True,
        "profile": _job().target.profile,
        "extra_flags": {"optimizer_excluding": "x"},
        "lib_dir": "/cache/vcuda",
    }
    assert json.loads(json.dumps(data)) == json.loads(json.dumps(data, sort_keys=True))


def test_job_properties():
    assert _job().rules == {"TL1": {"severity": "warning"}}
    assert _job().wants_memory
    assert not _job(memory=False, fit=None, pictures=False).wants_memory
    assert _job(memory=False, fit="batch", pictures=False).wants_memory
    assert _job(memory=False, fit=None, pictures=True).wants_memory


# --- RunResult ----------------------------------------------------------------


def test_narrowed_keeps_only_the_named_functions_and_their_findings():
    run = result(
        functions=[summary("a:f"), summary("b:g")],
        findings=[finding(function="a:f"), finding(function="b:g"), finding(function="")],
        log="log",
        device={"kind": "cuda", "name": "x"},
    )
    narrow = run.narrowed({"a:f"})
    assert [f.name for f in narrow.functions] == ["a:f"]
    assert [f.function for f in narrow.findings] == ["a:f"]
    assert (narrow.log, narrow.device) == ("log", {"kind": "cuda", "name": "x"})
    assert run.narrowed({"a:f", ""}).findings == (run.findings[0], run.findings[2])
    assert len(run.functions) == 2  # the original is unchanged
