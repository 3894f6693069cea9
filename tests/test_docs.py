"""Generated documentation is current; the documented config keys are the enforced ones."""

import os
import re

from conftest import REPO

from theanolint import docs
from theanolint.config import loading as config
from theanolint.ruleset import catalog as ruleset


def test_generated_docs_are_up_to_date():
    for name, text in docs.generated().items():
        with open(os.path.join(REPO, "docs", name), encoding="utf-8") as handle:
            assert handle.read() == text, f"docs/{name} is stale: run python -m theanolint.docs"


def test_documented_config_keys_are_the_schema_keys():
    with open(os.path.join(REPO, "docs", "config.md"), encoding="utf-8") as handle:
        text = handle.read()
    documented = set(re.findall(r"^\| `([A-Za-z_.]+)` \|", text, re.M))
    assert documented == set(docs.config_keys(config.schema()))
    assert set(re.findall(r"^## `([A-Za-z_]+)`$", text, re.M)) == set(config.schema()["properties"])


def test_config_examples_load(tmp_path):
    codes = ruleset.known_codes()
    for key, example in list(docs.EXAMPLES.items()) + [("full", docs.FULL_EXAMPLE)]:
        path = tmp_path / f"{key}.yaml"
        path.write_text(example + "\n")
        config.load(str(path), codes)


def test_every_rule_is_documented():
    with open(os.path.join(REPO, "docs", "rules.md"), encoding="utf-8") as handle:
        text = handle.read()
    for entry in ruleset.catalog():
        assert f"## {entry.code} {entry.name}" in text
