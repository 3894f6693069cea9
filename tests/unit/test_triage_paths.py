"""theanolint.triage.paths: what the given files (pre-commit's staged files) can change."""

import pytest
from unit_records import result, summary

from theanolint.triage.paths import EVERYTHING, FILTER, NOTHING, affected, decide, judged_paths


@pytest.fixture
def project(tmp_path):
    """A project root with a config, a baseline, models/ and a README; real paths."""
    root = tmp_path.resolve() / "proj"
    (root / "models").mkdir(parents=True)
    (root / "layers").mkdir()
    for name in (
        "models/mlp.py",
        "models/lm.py",
        "layers/dense.py",
        "README.md",
        "data.yaml",
        ".theanolint.yaml",
        ".theanolint-baseline.json",
    ):
        (root / name).write_text("# x\n")
    outside = tmp_path.resolve() / "proj2"  # shares the root's name as a prefix
    outside.mkdir()
    (outside / "other.py").write_text("# x\n")
    return root


def _special(root):
    return [str(root / ".theanolint.yaml"), str(root / ".theanolint-baseline.json")]


# --- decide -------------------------------------------------------------------


def test_no_paths_is_everything(project):
    assert decide([], str(project), _special(project)) == EVERYTHING


@pytest.mark.parametrize("name", [".theanolint.yaml", ".theanolint-baseline.json"])
def test_config_or_baseline_given_is_everything(project, name):
    paths = [str(project / "README.md"), str(project / name)]
    assert decide(paths, str(project), _special(project)) == EVERYTHING


def test_special_files_are_compared_as_real_paths(project, tmp_path, monkeypatch):
    link = tmp_path / "config-link.yaml"
    link.symlink_to(project / ".theanolint.yaml")
    assert decide([str(link)], str(project), _special(project)) == EVERYTHING
    monkeypatch.chdir(project)
    assert decide([".theanolint.yaml"], str(project), _special(project)) == EVERYTHING
    assert decide(["models/../.theanolint.yaml"], str(project), _special(project)) == EVERYTHING


def test_missing_special_files_are_skipped(project):
    assert decide([str(project / "README.md")], str(project), [None, "", None]) == NOTHING
    assert decide([str(project / "models/mlp.py")], str(project), [None]) == FILTER


def test_python_file_under_the_root_is_filter(project):
    paths = [str(project / "README.md"), str(project / "models" / "mlp.py")]
    assert decide(paths, str(project), _special(project)) == FILTER


def test_folder_is_filter(project):
    assert decide([str(project / "models")], str(project), _special(project)) == FILTER


@pytest.mark.parametrize("names", [["README.md"], ["data.yaml"], ["README.md", "data.yaml"]])
def test_no_python_file_is_nothing(project, names):
    assert decide([str(project / n) for n in names], str(project), _special(project)) == NOTHING


def test_python_file_outside_the_root_is_nothing(project):
    other = project.parent / "proj2" / "other.py"  # "proj2" starts with "proj"
    assert decide([str(other)], str(project), _special(project)) == NOTHING


def test_relative_paths_are_taken_from_the_working_directory(project, monkeypatch):
    monkeypatch.chdir(project / "models")
    assert decide(["mlp.py"], str(project), _special(project)) == FILTER
    monkeypatch.chdir(project.parent / "proj2")
    assert decide(["other.py"], str(project), _special(project)) == NOTHING


# --- affected -----------------------------------------------------------------


def _run(project):
    return result(
        functions=[
            summary("mlp.train:train", files=[str(project / "models/mlp.py"), str(project / "layers/dense.py")]),
            summary("lm.train:train", files=[str(project / "models/lm.py")]),
            summary("import broken", files=None),
            summary("empty:f", files=[]),
        ]
    )


def test_affected_by_a_builder_module_or_a_traced_file(project):
    run = _run(project)
    assert affected(run, [str(project / "models/lm.py")]) == {"lm.train:train"}
    assert affected(run, [str(project / "layers/dense.py")]) == {"mlp.train:train"}
    assert affected(run, [str(project / "README.md")]) == set()
    assert affected(run, [str(project / "models/lm.py"), str(project / "layers/dense.py")]) == {
        "lm.train:train",
        "mlp.train:train",
    }


def test_affected_by_a_folder_covers_the_files_below_it(project):
    run = _run(project)
    assert affected(run, [str(project / "models")]) == {"mlp.train:train", "lm.train:train"}
    assert affected(run, [str(project)]) == {"mlp.train:train", "lm.train:train"}
    assert affected(run, [str(project / "layers") + "/"]) == {"mlp.train:train"}


def test_affected_does_not_match_on_a_name_prefix(project):
    (project / "models2").mkdir()
    run = result(functions=[summary("f", files=[str(project / "models2/x.py")])])
    assert affected(run, [str(project / "models")]) == set()
    assert affected(run, [str(project / "models2/x")]) == set()


def test_affected_resolves_given_paths(project, monkeypatch, tmp_path):
    run = _run(project)
    monkeypatch.chdir(project)
    assert affected(run, ["models/lm.py"]) == {"lm.train:train"}
    assert affected(run, ["./layers"]) == {"mlp.train:train"}
    link = tmp_path / "linked-models"
    link.symlink_to(project / "models")
    assert affected(run, [str(link)]) == {"mlp.train:train", "lm.train:train"}


# --- judged_paths -------------------------------------------------------------


def test_judged_without_paths_are_the_functions_python_files_under_the_root(project):
    run = result(
        functions=[
            summary(
                "a",
                files=[
                    str(project / "models/mlp.py"),
                    str(project / "layers/dense.py"),
                    "/usr/lib/python3/dist-packages/numpy/core.py",
                ],
            ),
            summary("b", files=[str(project / "models/lm.py"), str(project / "data.yaml")]),
            summary("c", files=None),
            summary("d", files=[str(project.parent / "proj2/other.py")]),
        ]
    )
    assert judged_paths(run, None, str(project)) == {"models/mlp.py", "layers/dense.py", "models/lm.py"}
    assert judged_paths(run, [], str(project)) == {"models/mlp.py", "layers/dense.py", "models/lm.py"}


def test_judged_with_paths_are_only_the_given_python_files(project):
    run = _run(project)  # its files do not count when paths are given
    given = [
        str(project / "models/lm.py"),
        str(project / "README.md"),
        str(project / "models"),
        str(project / "gone.py"),
        str(project.parent / "proj2/other.py"),
    ]
    assert judged_paths(run, given, str(project)) == {"models/lm.py"}


def test_judged_paths_are_relative_to_the_real_root(project, tmp_path):
    link = tmp_path / "root-link"
    link.symlink_to(project)
    run = result(functions=[summary("a", files=[str(project / "models/mlp.py")])])
    assert judged_paths(run, None, str(link)) == {"models/mlp.py"}
    assert judged_paths(run, [str(link / "models/lm.py")], str(link)) == {"models/lm.py"}
