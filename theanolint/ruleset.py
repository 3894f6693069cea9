"""Discover the rule modules and apply the configured selection to them.

The parent process must not import Theano (its flags are only set in the
worker), so rule metadata is read from the modules' source with ``ast``;
only the worker imports the rule modules to run them.
"""
import ast
import importlib
import importlib.util
import pkgutil
import re
from dataclasses import dataclass
from types import ModuleType, SimpleNamespace
from typing import Dict, List, Optional

from theanolint.findings import SEVERITIES, Finding

CODE_PATTERN = re.compile(r"^TL[0-9]{3}$")
DOC_SECTIONS = ("What it does", "Why is this bad", "Example", "Use instead")


@dataclass
class Rule:
    code: str
    name: str
    severity: str
    module: ModuleType
    options: Dict

    @property
    def summary(self) -> str:
        return (self.module.__doc__ or "").strip().splitlines()[0]

    def run(self, unit) -> List[Finding]:
        found = []
        for finding in self.module.check(unit, self.options) or ():
            finding.code, finding.name, finding.severity = self.code, self.name, self.severity
            found.append(finding)
        return found


def _module_names() -> List[str]:
    import theanolint.rules as package
    return [f"{package.__name__}.{info.name}"
            for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith("_")]


def catalog() -> List[SimpleNamespace]:
    """Metadata of every built-in rule, read without importing (and so without Theano)."""
    entries = []
    for name in _module_names():
        with open(importlib.util.find_spec(name).origin, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        entry = SimpleNamespace(__name__=name, __doc__=ast.get_docstring(tree, clean=False),
                                check=None)
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name) and target.id in ("CODE", "NAME", "SEVERITY"):
                    setattr(entry, target.id, ast.literal_eval(statement.value))
            elif isinstance(statement, ast.FunctionDef) and statement.name == "check":
                entry.check = True
        problems = _problems(entry)
        if problems:
            raise RuntimeError(f"rule module {name}: {problems}")
        entries.append(entry)
    return sorted(entries, key=lambda m: m.CODE)


def all_modules() -> List[ModuleType]:
    """Every built-in rule module, imported (worker only: rules import Theano)."""
    return [importlib.import_module(entry.__name__) for entry in catalog()]


def known_codes() -> List[str]:
    return [entry.CODE for entry in catalog()]


def _problems(module) -> Optional[str]:
    for attr in ("CODE", "NAME", "SEVERITY", "check"):
        if getattr(module, attr, None) is None:
            return f"missing {attr}"
    if not CODE_PATTERN.match(module.CODE):
        return f"bad code {module.CODE!r}"
    if module.SEVERITY not in SEVERITIES:
        return f"bad severity {module.SEVERITY!r}"
    doc = module.__doc__ or ""
    missing = [s for s in DOC_SECTIONS if f"{s}:" not in doc]
    return f"docstring lacks {', '.join(missing)}" if missing else None


def _setting_for(code: str, settings: Dict):
    """The most specific setting (TL401 over TL40 over TL4) for ``code``."""
    keys = sorted((k for k in settings if code.startswith(k)), key=len, reverse=True)
    merged = {}
    for key in reversed(keys):       # least specific first, most specific wins
        value = settings[key]
        if isinstance(value, bool):
            value = {"enabled": value}
        elif isinstance(value, str):
            value = {"enabled": False} if value == "off" else {"enabled": True, "severity": value}
        merged.update({k: v for k, v in value.items() if k != "options"})
        merged.setdefault("options", {}).update(value.get("options", {}))
    return merged


def effective(code: str, default_severity: str, settings: Dict, select_codes=(), ignore_codes=()):
    """(enabled, severity, options) of one rule: config, then --select / --ignore.

    Like ruff, ``--select`` overrides the config: a selected rule runs even
    if the config turns it off (its severity and options still apply);
    ``--ignore`` wins over both.
    """
    setting = _setting_for(code, settings)
    enabled = setting.get("enabled", True)
    if select_codes:
        enabled = any(code.startswith(c) for c in select_codes)
    if any(code.startswith(c) for c in ignore_codes):
        enabled = False
    return enabled, setting.get("severity", default_severity), setting.get("options", {})


def select(settings: Dict, select_codes=(), ignore_codes=()) -> List[Rule]:
    """The enabled rules, with severities and options from the config."""
    rules = []
    for module in all_modules():
        enabled, severity, options = effective(module.CODE, module.SEVERITY, settings,
                                               select_codes, ignore_codes)
        if enabled:
            rules.append(Rule(module.CODE, module.NAME, severity, module, options))
    return rules
