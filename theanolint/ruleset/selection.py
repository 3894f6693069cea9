"""Which rules run, at what severity and with what options: the config's ``rules:``,
then ``--select`` / ``--ignore``; and the one matcher of codes and prefixes.

``select`` imports the rule modules (they import Theano): worker only.  The
rest runs on the command-line side too.
"""

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Dict, FrozenSet, Iterable, List, Optional

from theanolint.findings import Finding
from theanolint.ruleset.catalog import catalog, known_codes, rule


def matches(code: str, selector: str) -> bool:
    """Whether ``selector``, a code or a prefix of codes (TL4, TL40), names ``code``."""
    return code.startswith(selector)


def matches_any(code: str, selectors: Iterable[str]) -> bool:
    return any(matches(code, s) for s in selectors)


def is_known(selector: str) -> bool:
    """Whether ``selector`` names at least one rule."""
    return any(matches(code, selector) for code in known_codes())


@dataclass(frozen=True)
class Effective:
    enabled: bool
    severity: str
    options: Dict[str, Any]


def _setting_for(code: str, settings: Dict[str, Any]) -> Dict[str, Any]:
    """The most specific setting (TL401 over TL40 over TL4) for ``code``."""
    keys = sorted((k for k in settings if matches(code, k)), key=len, reverse=True)
    merged: Dict[str, Any] = {}
    for key in reversed(keys):  # least specific first, most specific wins
        value = settings[key]
        if isinstance(value, bool):
            value = {"enabled": value}
        elif isinstance(value, str):
            value = {"enabled": False} if value == "off" else {"enabled": True, "severity": value}
        merged.update({k: v for k, v in value.items() if k != "options"})
        merged.setdefault("options", {}).update(value.get("options", {}))
    return merged


def effective(code: str, settings: Dict[str, Any], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Effective:
    """One rule's setting: config, then --select / --ignore.

    Like ruff, ``--select`` overrides the config: a selected rule runs even
    if the config turns it off (its severity and options still apply);
    ``--ignore`` wins over both.
    """
    setting = _setting_for(code, settings)
    select, ignore = list(select), list(ignore)
    enabled = setting.get("enabled", True)
    if select:
        enabled = matches_any(code, select)
    if matches_any(code, ignore):
        enabled = False
    return Effective(enabled, setting.get("severity", rule(code).severity), setting.get("options", {}))


def enabled_codes(settings: Dict[str, Any], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> List[str]:
    return [info.code for info in catalog() if effective(info.code, settings, select, ignore).enabled]


def made_finding(
    code: str, settings: Dict[str, Any], select: Iterable[str] = (), ignore: Iterable[str] = (), **fields: Any
) -> Optional[Finding]:
    """A finding theanolint makes itself (TL003, TL004, TL005), with the rule's name
    and effective severity; None when the rule is off."""
    setting = effective(code, settings, select, ignore)
    if not setting.enabled:
        return None
    return Finding(code=code, name=rule(code).name, severity=setting.severity, **fields)


@dataclass(frozen=True)
class Rule:
    """An enabled rule that checks functions, with its module imported (worker side)."""

    code: str
    name: str
    severity: str
    needs: FrozenSet[str]
    module: ModuleType
    options: Dict[str, Any]

    def run(self, function: Any) -> List[Finding]:
        found: List[Finding] = []
        for finding in self.module.check(function, self.options) or ():
            finding.code, finding.name, finding.severity = self.code, self.name, self.severity
            found.append(finding)
        return found


def select(settings: Dict[str, Any], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> List[Rule]:
    """The enabled rules that check functions, their modules imported."""
    rules = []
    for info in catalog():
        setting = effective(info.code, settings, select, ignore)
        if setting.enabled and info.checks_functions:
            rules.append(
                Rule(
                    info.code,
                    info.name,
                    setting.severity,
                    info.needs,
                    importlib.import_module(info.module),
                    setting.options,
                )
            )
    return rules
