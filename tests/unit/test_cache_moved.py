"""theanolint.cache.moved: a stored result's lines moved to where the source is now."""

from unit_records import finding, summary

from theanolint.cache import moved
from theanolint.protocol import FunctionEntry

ROOT = "/p"


def test_line_map_pairs_old_and_new_positions():
    old = [("/p/m.py", 10), ("/p/m.py", 12), ("/p/lib.py", 3)]
    new = [("/p/m.py", 11), ("/p/m.py", 13), ("/p/lib.py", 3)]
    assert moved.line_map(old, new) == {("/p/m.py", 10): 11, ("/p/m.py", 12): 13}
    assert moved.usable(old, new)
    assert not moved.usable(old, new[:2])  # another graph: the lists do not align
    assert not moved.usable(old, [("/p/other.py", 10), *new[1:]])


def test_apply_moves_findings_memory_and_picture_locations():
    entry = FunctionEntry(
        summary=summary("m:train", "m.py:5"),
        findings=(finding(path="m.py", line=10), finding(path="lib.py", line=3), finding(path="m.py", line=99)),
        memory={"assumptions": [{"where": "m.py:12: Foo", "why": "x"}], "assumed": ["m.py:12"]},
        picture={"nodes": [{"id": "n1", "location": {"path": "m.py", "line": 10, "via": ""}}]},
    )
    out = moved.apply(entry, {("/p/m.py", 10): 11, ("/p/m.py", 12): 13}, ROOT)
    assert [(f.path, f.line) for f in out.findings] == [("m.py", 11), ("lib.py", 3), ("m.py", 99)]
    assert out.memory == {"assumptions": [{"where": "m.py:13: Foo", "why": "x"}], "assumed": ["m.py:13"]}
    assert out.picture["nodes"][0]["location"]["line"] == 11
    assert moved.apply(entry, {}, ROOT) is entry
