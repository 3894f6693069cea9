"""Fuzzed configuration: every document is accepted or refused with ConfigError
(exit 2 with the file and, where there is one, the line), never a traceback or a hang.

Runs in-process against the loader the command line uses; a sample also goes
through the real command line.  Fixed seed and profile, so CI is reproducible.
"""

import os
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))
from conftest import theanolint  # noqa: E402

from theanolint.config import loading as config
from theanolint.ruleset import catalog as ruleset  # noqa: E402

CODES = list(ruleset.known_codes())
PROFILE = settings(
    max_examples=1000, deadline=5000, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)

KEYS = st.sampled_from(sorted(config.schema()["properties"]) + ["bogus", "Target", "rules.TL1"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "cuda",
            "opencl",
            "float32",
            "TL4",
            "TL401",
            "TL999",
            "off",
            "error",
            "8GiB",
            "none",
            "7.6.5",
            "legacy/*",
            "[",
            "*{",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(KEYS, st.sampled_from(CODES + ["TL9", "E501"]), st.text(max_size=6)), inner, max_size=4
        ),
    ),
    max_leaves=20,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=6)


def _check(folder, text_or_bytes):
    path = folder / ".theanolint.yaml"
    if isinstance(text_or_bytes, bytes):
        path.write_bytes(text_or_bytes)
    else:
        path.write_text(text_or_bytes)
    try:
        loaded = config.load(str(path), CODES)
    except config.ConfigError as error:
        assert error.path == str(path) and error.message
        return "refused"
    assert isinstance(loaded, dict) and loaded["target"] in ("cuda", "opencl")
    return "accepted"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@PROFILE
@given(document=DOCUMENTS)
def test_structured_documents(folder, document):
    _check(folder, yaml.safe_dump(document, allow_unicode=True))


@PROFILE
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes(folder, raw):
    _check(folder, raw)


@settings(
    max_examples=200,
    deadline=10000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(depth=st.integers(min_value=1, max_value=5000))
def test_deep_nesting(folder, depth):
    _check(folder, "rules: " + "[" * depth + "]" * depth + "\n")


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, "
        f"*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
        for i in range(1, 9)
    ]
    assert _check(tmp_path, "\n".join(lines) + "\n") == "refused"


def test_python_tags_are_refused(tmp_path):
    assert _check(tmp_path, "target: !!python/object/apply:os.system ['true']\n") == "refused"


def test_a_sample_through_the_command_line(tmp_path):
    for index, text in enumerate(
        [
            "target: [\n",
            "rules: {TL999: off}\n",
            "budget: {cuda: -1}\n",
            "dims: {batch: 99999999999999999999}\n",
            b"\xff\xfe\x00",
        ]
    ):
        folder = tmp_path / str(index)
        folder.mkdir()
        target = folder / ".theanolint.yaml"
        target.write_bytes(text if isinstance(text, bytes) else text.encode())
        run = theanolint(cwd=folder)
        assert run.code == 2 and "Traceback" not in run.stderr, run.stderr
        assert ".theanolint.yaml" in run.stderr
