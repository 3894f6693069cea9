"""Every default finding on real framework code is one the user can act on in their own code.

Four projects of code nobody here wrote, or written in its exact shapes:

- ``tests/projects/lasagne_like``: models in the style of Lasagne's own examples (MLP and CNN
  of mnist.py, a bidirectional RNN with gradient clipping, an LSTM language model with
  adam, a batch-norm CNN) on ``layerkit``, a package of Lasagne's shapes installed into the
  test environment (tests/frameworks/layerkit), and ``mistakes.py``, the user's own mistakes;
- ``tests/projects/tutorials``: the DeepLearningTutorials' idioms (``shared_dataset`` sliced
  through ``givens``, ``T.mean(T.neq(...))``, an RBM's Gibbs chain in scan with
  ``RandomStreams``, a module that sets the recursion limit when imported);
- ``tests/projects/keras`` (Keras 2.3.1) and ``tests/projects/theanolm`` (TheanoLM 1.3.2).

Each asserts the exact default findings: the ``# planted:`` markers of its files, nothing
else; what the frameworks made is counted as left out, and a rule option brings it back at
the user's line.  ``conftest.theanolint`` checks every report of the suite for messages under
200 characters and no repeated lines.
"""

import glob
import importlib.util
import os
from collections import Counter

import pytest
from conftest import PROJECTS, planted, theanolint

LASAGNE = os.path.join(PROJECTS, "lasagne_like")
TUTORIALS = os.path.join(PROJECTS, "tutorials")
KERAS = os.path.join(PROJECTS, "keras")
THEANOLM = os.path.join(PROJECTS, "theanolm")
EVERY_RULE_ON_FRAMEWORKS = "rules:\n" + "".join(f"  TL{n}: {{options: {{frameworks: true}}}}\n" for n in range(1, 7))


def _planted(folder):
    """(path, line, code) of every ``# planted:`` marker of the project's modules."""
    marks = set()
    for path in sorted(glob.glob(os.path.join(folder, "*.py"))):
        for line, codes in planted(path).items():
            marks.update((os.path.basename(path), line, code) for code in codes)
    return marks


def _found(run):
    return {(f["path"], f["line"], f["code"]) for f in run.findings}


def _lint(folder, *args, env=None):
    run = theanolint("--format", "json", "--no-cache", "--memory", *args, cwd=folder, env=env)
    assert run.code in (0, 1), run.stderr
    assert not [f for f in run.findings if f["code"] in ("TL001", "TL002", "TL004", "TL005")], run.findings
    _memory_is_known(run)
    return run


def _memory_is_known(run):
    """Every function's memory predicted from declared shapes alone: no input left
    undeclared, no size assumed anywhere, so no TL5 finding."""
    rows = run.report["memory"]
    assert rows and not [r for r in rows if "total_gpu" not in r], [r for r in rows if "total_gpu" not in r]
    assert not [(r["name"], r["assumptions"]) for r in rows if r["assumptions"]]
    assert not [f for f in run.findings if f["code"].startswith("TL5")]


def _with_frameworks(folder, tmp_path, env=None):
    """The project's config, with every rule's ``frameworks`` option on."""
    config = tmp_path / "frameworks.theanolint.yaml"
    with open(os.path.join(folder, ".theanolint.yaml")) as handle:
        config.write_text(handle.read() + "\nroot: " + folder + "\n" + EVERY_RULE_ON_FRAMEWORKS)
    return _lint(folder, "--config", str(config), env=env)


@pytest.fixture(scope="module")
def keras_env(tmp_path_factory):
    return {"KERAS_HOME": str(tmp_path_factory.mktemp("keras-home"))}


@pytest.fixture(scope="module")
def lasagne_like():
    return _lint(LASAGNE)


def test_layerkit_is_an_installed_framework():
    """What makes its state "the framework's": it is imported from site-packages."""
    spec = importlib.util.find_spec("layerkit")
    assert spec is not None and "site-packages" in spec.origin, spec


def test_lasagne_like_models_report_only_the_users_mistakes(lasagne_like):
    assert _found(lasagne_like) == _planted(LASAGNE)
    assert {f["path"] for f in lasagne_like.findings} == {"mistakes.py"}
    assert lasagne_like.report["frameworks_left_out"] > 0


def test_lasagne_like_messages_name_what_to_change(lasagne_like):
    by_line = {(f["line"], f["code"]): f for f in lasagne_like.findings}
    unnamed = by_line[24, "TL301"]["message"]
    assert "pass name= to add_param" in unnamed, unnamed
    duplicate = by_line[36, "TL302"]["message"]
    assert "'hidden.W', 'hidden.b' are also used by the shared variable at mistakes.py:35" in duplicate, duplicate
    # the float64 W= is one TL101 at that line; its velocity, casts and host dot are not separate TL101s
    assert Counter(f["code"] for f in lasagne_like.findings)["TL101"] == 1
    counter = by_line[52, "TL202"]["message"]
    assert "host op(s) use it for the GPU every call" in counter and "target=None" in counter, counter


def test_lasagne_like_shared_findings_are_one_record_per_problem(lasagne_like):
    """train_fn and val_fn share the model: each problem once, with both functions."""
    unnamed = [f for f in lasagne_like.findings if f["code"] == "TL301"]
    assert len(unnamed) == 1 and unnamed[0]["functions"] == ["mistakes.model:train_fn", "mistakes.model:val_fn"]


def test_lasagne_like_framework_state_comes_back_at_the_users_lines(lasagne_like, tmp_path):
    """Opted in, the optimizer slots, dropout state and default names are reported, at the
    user's call that made them (the updates.adam(...) line), never inside layerkit."""
    run = _with_frameworks(LASAGNE, tmp_path)
    codes = Counter(f["code"] for f in run.findings)
    assert codes["TL301"] >= 5 and codes["TL302"] >= 5, codes
    assert run.report["frameworks_left_out"] == 0
    assert _planted(LASAGNE) <= _found(run)
    assert all(not f["path"].startswith("layerkit") and f["path"].endswith(".py") for f in run.findings)
    adam = [f for f in run.findings if f["code"] == "TL301" and "adam" in f["message"]]
    assert adam and all(f["data"]["framework"] for f in adam), adam


def test_tutorials_report_their_real_problems_on_the_lines_written():
    run = _lint(TUTORIALS)
    assert _found(run) == _planted(TUTORIALS)
    mean = next(f for f in run.findings if f["code"] == "TL101")
    assert "dtype=theano.config.floatX" in mean["message"] and "constant" not in mean["message"], mean
    # Theano's random state (RandomStreams, MRG_RandomStreams) is not the user's to name
    assert run.report["frameworks_left_out"] > 0


def test_keras_reports_only_the_custom_layers_weight(keras_env):
    for target in ("opencl", "cuda"):
        run = _lint(KERAS, "--target", target, env=keras_env)
        assert _found(run) == _planted(KERAS), target
        assert {tuple(f["functions"]) for f in run.findings} == {
            ("keras.custom:predict_function", "keras.custom:train_function")
        }, target
        assert run.report["frameworks_left_out"] > 0, target


def test_theanolm_reports_nothing_the_user_could_change():
    """TheanoLM's float64 cost, its NCE gradient on the host and its optimizer state are
    TheanoLM's own code: counted, not shown."""
    run = _lint(THEANOLM)
    assert run.findings == []
    assert run.report["frameworks_left_out"] >= 4
