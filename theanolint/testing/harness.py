"""The harness: one Theano start per process, then each case linted by the worker's code."""

import atexit
import contextlib
import importlib
import itertools
import os
import re
import shutil
import sys
import tempfile
import threading
from typing import Any, Dict, List, Mapping, Optional, Sequence

from theanolint import builders, protocol
from theanolint.findings import Finding
from theanolint.testing.cases import (
    ALWAYS_CHECKED,
    HarnessError,
    Result,
    _Collected,
    describe,
    normalize,
    pairs,
    planted,
)

# --- the harness -----------------------------------------------------------


class Harness:
    """Theano started on one target in this process; lints cases one by one."""

    def __init__(self, target, context, base_config: Dict[str, Any]):
        self.target, self.context = target, context
        self.base_config = base_config
        self.folder = tempfile.mkdtemp(prefix="theanolint-rule-cases-")
        atexit.register(shutil.rmtree, self.folder, True)
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def kind(self) -> str:
        return self.target.kind

    def lint_source(self, source: str, **options: Any) -> List[Finding]:
        """The findings of ``rules`` on ``source``'s builders; takes ``lint``'s options."""
        return list(self.lint(source, **options).findings)

    def lint(
        self,
        source: str,
        *,
        rules: Sequence[str] = ("TL101",),
        options: Optional[Mapping[str, Mapping]] = None,
        name: str = "case",
        config: Optional[Mapping[str, Any]] = None,
        flags: Optional[Mapping[str, Any]] = None,
        graphs: bool = False,
    ) -> Result:
        """Write ``source`` as a module and lint every builder it registers.

        ``rules``: codes or prefixes to run (``--select``); ``options``: per rule code,
        its ``options:`` in the config; ``config``: any other ``.theanolint.yaml`` keys
        (``dims``, ``budget``, ``memory``, ``rules`` severities, ``theano_flags``),
        validated by the config's schema; ``flags``: Theano flags for this case
        (merged over ``theano_flags``); ``graphs``: also return each function's
        optimized graph as ``theanolint graph`` prints it (``Result.graph(name)``).
        """
        rules = tuple(rules)
        if not rules:
            raise ValueError("rules: name at least one rule code or prefix")
        with self._lock:
            number = next(self._numbers)
            module = f"{_identifier(name)}_{number}"
            root = os.path.join(self.folder, f"{number:04d}")
            os.makedirs(root)
            text = normalize(source)
            with open(os.path.join(root, module + ".py"), "w", encoding="utf-8") as handle:
                handle.write(text)
            job_config = self._config(config, options, root)
            theano_flags = dict(job_config.get("theano_flags", {}), **dict(flags or {}))
            job = protocol.Job(
                target=self.target,
                root=root,
                modules=(module,),
                files=(),
                config=job_config,
                select=rules + ALWAYS_CHECKED,
                graphs=("*",) if graphs else (),
            )
            channel: Any = _Collected()  # the worker's Channel, duck-typed
            with _flags(theano_flags), _restored(root):
                from theanolint.workers import main as worker

                internal_errors = worker.lint(job, channel, self.context)
        entries = tuple(e for message in channel.messages for e in getattr(message, "entries", ()))
        if internal_errors:
            raise HarnessError("theanolint failed on the case:\n" + "\n".join(internal_errors))
        if not any(isinstance(m, protocol.BuilderStarted) for m in channel.messages) and not any(
            e.findings for e in entries
        ):
            raise HarnessError(f"the source registers no builder (@theanolint.register):\n{text}")
        from theanolint.ruleset.selection import matches_any

        every = [f for e in entries for f in e.findings]
        failed = [f for f in every if f.code in ALWAYS_CHECKED and not matches_any(f.code, rules)]
        if failed:
            raise HarnessError(
                "the case did not build or optimize (ask for TL001/TL002 to test that):\n" + describe(failed)
            )
        from theanolint.triage import frameworks

        shown, _left_out = frameworks.split(every, job_config["rules"], rules)  # as the command line does
        findings = sorted(
            (f for f in shown if matches_any(f.code, rules)), key=lambda f: (f.line, f.code, f.message, f.function)
        )
        return Result(tuple(findings), tuple(e.summary for e in entries), entries, module + ".py", text)

    def assert_planted(self, source: str, *, rules: Sequence[str] = ("TL101",), **options) -> List[Finding]:
        """Lint ``source``: the findings of ``rules`` must be exactly its ``# planted:``
        markers of those rules, by line and code; returns the findings."""
        found = self.lint_source(source, rules=rules, **options)
        expected = planted(source, rules)
        if not expected:
            raise ValueError(f"the source plants no {', '.join(rules)} (# planted: CODE)")
        if pairs(found) != expected:
            raise AssertionError(
                f"planted {sorted(expected)}, found {sorted(pairs(found))}; "
                f"missing {sorted(expected - pairs(found))}, unexpected "
                f"{sorted(pairs(found) - expected)}:\n{describe(found)}"
            )
        return found

    def assert_quiet(self, source: str, *, rules: Sequence[str] = ("TL101",), **options) -> Result:
        """Lint ``source``: ``rules`` must find nothing (and its builders must build)."""
        result = self.lint(source, rules=rules, **options)
        if result.findings:
            raise AssertionError(f"expected no {', '.join(rules)} finding:\n" + describe(result.findings))
        if not result.functions:
            raise AssertionError("the source made no function to lint")
        return result

    def _config(self, overrides, options, root) -> Dict[str, Any]:
        from theanolint.config import loading

        data = _plain(dict(overrides or {}))
        if options:
            rules = dict(data.get("rules", {}))
            for code, values in options.items():
                setting = rules.get(code, {})
                if isinstance(setting, bool):
                    setting = {"enabled": setting}
                elif isinstance(setting, str):
                    setting = {"enabled": False} if setting == "off" else {"severity": setting}
                rules[code] = dict(setting, options=dict(values))
            data["rules"] = rules
        for key in ("root", "target", "cuda", "opencl", "modules", "floatX"):
            if key in data:
                raise HarnessError(
                    f"config: {key!r} is the harness's (one target, floatX and "
                    "device per process; the case is the only module)"
                )
        import jsonschema

        error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(loading.schema()).iter_errors(data))
        if error is not None:  # explained as the command line explains it
            where = ".".join(str(k) for k in error.absolute_path) or "top level"
            raise HarnessError(f"config: {where}: {loading._explain(error)}")
        config = loading._apply_defaults(dict(self.base_config, **data), loading.schema())
        config["root"] = root
        return config


def _identifier(name: str) -> str:
    text = re.sub(r"\W", "_", name) or "case"
    return text if text[0].isalpha() or text[0] == "_" else "case_" + text


def _plain(value):
    """Tuples to lists (the config is JSON-shaped; the schema wants arrays)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@contextlib.contextmanager
def _flags(flags: Mapping[str, Any]):
    if not flags:
        yield
        return
    import theano

    try:
        changed = theano.change_flags(**flags)
        changed.__enter__()
    except Exception as error:
        raise HarnessError(
            f"Theano flags {dict(flags)} cannot be set at run time "
            f"({type(error).__name__}: {error}); this flag needs its own "
            "worker: test it through the CLI (tests/conftest.py's theanolint())"
        ) from error
    try:
        yield
    finally:
        changed.__exit__(None, None, None)


@contextlib.contextmanager
def _restored(root: str):
    """Put back what the worker's ``lint`` changes for good (it owns its process):
    sys.path, the working directory, the registration list, the case's modules;
    and give the case the worker's sys.stdout."""
    import theano.tensor.basic as tensor_basic

    path, cwd, collected = list(sys.path), os.getcwd(), builders._collected
    before = set(sys.modules)
    tensor_basic.constant_cache.clear()
    importlib.invalidate_caches()  # the case's file was written just now
    # In a worker sys.stdout writes to file descriptor 1, which is what TL007's capture
    # redirects; pytest's capture points sys.stdout elsewhere, so for the case it
    # writes to descriptor 1 again (which pytest captures too).
    stdout = sys.stdout
    sys.stdout = sys.__stdout__ or stdout
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        sys.stdout = stdout
        sys.path[:] = path
        os.chdir(cwd)
        builders._collected = collected
        prefix = os.path.join(os.path.realpath(root), "")
        for name in set(sys.modules) - before:
            file = getattr(sys.modules[name], "__file__", None) or ""
            if os.path.realpath(file).startswith(prefix):
                del sys.modules[name]
