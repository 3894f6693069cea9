"""docs/ci.md's GitHub Actions and GitLab CI recipes, and the report formats they upload:
paths from the repository root, also for a project in a subfolder.

The recipes' YAML is parsed and its commands checked against the CLI's options; the
workflows themselves run on GitHub's and GitLab's machines (actionlint does not install
here: no network beyond the package registries)."""

import json
import os
import re

import jsonschema
import pytest
import yaml
from conftest import REPO, theanolint

MODEL = """\
import theano
import theano.tensor as T

import theanolint


@theanolint.register(name="m.train")
def train():
    x = T.dmatrix("x")
    return theano.function([x], T.exp(x).sum())
"""

# GitLab's Code Quality report, as its documentation describes the fields it reads.
CODE_QUALITY = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string"},
            "check_name": {"type": "string"},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string"},
                    "lines": {"type": "object", "required": ["begin"], "properties": {"begin": {"type": "integer"}}},
                },
            },
        },
    },
}


def _recipe(name):
    with open(os.path.join(REPO, "docs", "ci.md"), encoding="utf-8") as handle:
        text = handle.read()
    return yaml.safe_load(re.search(rf"<!-- ci: {name} -->\n```yaml\n(.*?)```", text, re.S).group(1))


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    """A git work tree whose theanolint project is the subfolder models/."""
    root = tmp_path_factory.mktemp("repository")
    (root / ".git").mkdir()  # what paths.repository_root looks for
    project = root / "models"
    project.mkdir()
    (project / ".theanolint.yaml").write_text("target: opencl\nmodules: [model]\n")
    (project / "model.py").write_text(MODEL)
    return root, project


def test_github_workflow_annotates_and_uploads_sarif():
    workflow = _recipe("github")
    steps = workflow["jobs"]["theanolint"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "theanolint doctor" in runs and "--format github" in runs
    assert "--format sarif --output-file theanolint.sarif" in runs
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    assert upload and upload[0]["with"]["sarif_file"] == "theanolint.sarif"
    assert workflow["jobs"]["theanolint"]["permissions"]["security-events"] == "write"


def test_gitlab_job_reports_code_quality():
    job = _recipe("gitlab")["theanolint"]
    script = " ".join(job["script"])
    report = job["artifacts"]["reports"]["codequality"]
    assert f"--format gitlab --output-file {report}" in script
    assert "theanolint doctor" in job["before_script"]


def test_github_annotations_name_files_from_the_repository_root(repository):
    root, project = repository
    run = theanolint("--format", "github", "--no-cache", cwd=project)
    assert run.code == 1, run.stderr
    assert run.stdout.startswith("::error file=models/model.py,line=9,title=TL101::"), run.stdout


def test_sarif_paths_from_the_repository_root(repository):
    root, project = repository
    run = theanolint("--format", "sarif", "--no-cache", cwd=project)
    log = json.loads(run.stdout)
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "models/model.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == f"file://{os.path.realpath(root)}/"


def test_gitlab_code_quality_report(repository, tmp_path):
    root, project = repository
    out = tmp_path / "gl-code-quality-report.json"
    run = theanolint("--format", "gitlab", "--output-file", str(out), "--no-cache", cwd=project)
    assert run.code == 1, run.stderr
    issues = json.loads(out.read_text())
    jsonschema.validate(issues, CODE_QUALITY)
    assert [
        (i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues
    ] == [("TL101", "major", "models/model.py", 9)]
