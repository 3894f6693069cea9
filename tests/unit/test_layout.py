"""Layout guards for theanolint's own modules (theanolint/ and rules/, installed as theanolint.rules):

(a) every command-line-side module imports without Theano (discovered by walking the
    packages, so a new module is covered as soon as it exists);
(b) no import cycle among theanolint's modules (imports at module level and inside
    functions, relative imports resolved, ``from package import submodule`` followed);
(c) no module over MAX_LINES lines.

The modules are found on disk and parsed with ``ast``; nothing is imported in this
process.
"""

import ast
import json
import os
import subprocess
import sys
from typing import Dict, List, Optional, Set, Tuple

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGES = (
    ("theanolint", os.path.join(REPO, "theanolint")),
    ("theanolint.rules", os.path.join(REPO, "rules")),
)  # setup.py: package_dir
MAX_LINES = 300

# The worker side: these import Theano (or exist only to run beside it).
WORKER_ONLY = (
    "theanolint.analysis",  # and every module below it
    "theanolint.device.startup",
    "theanolint.device.vcuda",
    "theanolint.workers.isolation",
    "theanolint.ruleset.helpers",  # what rule modules use: imports theanolint.analysis
    "theanolint.rules.",  # the rule modules (the package itself is CLI side: catalog)
)
NOT_IMPORTED = {"theanolint.__main__": "importing it runs the command"}


def modules(packages=PACKAGES) -> Dict[str, str]:
    """Every module of theanolint and of its rules package: dotted name -> file."""
    found = {}
    for package, folder in packages:
        for directory, dirs, files in os.walk(folder):
            dirs[:] = sorted(
                d for d in dirs if d != "__pycache__" and os.path.isfile(os.path.join(directory, d, "__init__.py"))
            )
            for name in sorted(files):
                if not name.endswith(".py"):
                    continue
                parts = os.path.relpath(os.path.join(directory, name), folder)[:-3].split(os.sep)
                if parts[-1] == "__init__":
                    parts = parts[:-1]
                found[".".join([package, *parts])] = os.path.join(directory, name)
    return found


def _worker_only(name: str) -> bool:
    return any(name == w or name.startswith(w if w.endswith(".") else w + ".") for w in WORKER_ONLY)


def command_line_modules() -> List[str]:
    return [name for name in sorted(modules()) if not _worker_only(name) and name not in NOT_IMPORTED]


# --- (a) no Theano on the command-line side ----------------------------------------

_PROBE = r"""
import importlib, json, sys
report = {}
for name in json.loads(sys.argv[1]):
    had = {m for m in sys.modules if m.split(".")[0] in ("theano", "pygpu")}
    try:
        importlib.import_module(name)
    except BaseException as error:
        report[name] = "import failed: %s: %s" % (type(error).__name__, error)
        continue
    pulled = sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in ("theano", "pygpu")} - had)
    if pulled:
        report[name] = "imports " + ", ".join(pulled)
        break                 # later modules would look clean: the caller checks them one by one
print(json.dumps(report))
"""


def _probe(names: List[str], cwd: str) -> Dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(names)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=REPO),
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_command_line_side_is_discovered():
    names = command_line_modules()
    for expected in (
        "theanolint",
        "theanolint.cli",
        "theanolint.cli.check",
        "theanolint.config.loading",
        "theanolint.device.target",
        "theanolint.ruleset.catalog",
        "theanolint.ruleset.selection",
        "theanolint.triage",
        "theanolint.triage.baseline",
        "theanolint.report",
        "theanolint.report.sarif",
        "theanolint.report.html",
        "theanolint.workers.runner",
        "theanolint.workers.pool",
        "theanolint.workers.main",
        "theanolint.cache.runs",
        "theanolint.protocol",
        "theanolint.findings",
        "theanolint.paths",
        "theanolint.builders",
        "theanolint.docs",
        "theanolint.rules",
    ):
        assert expected in names
    assert not [
        n for n in names if n.startswith(("theanolint.analysis", "theanolint.device.vcuda", "theanolint.rules.tl"))
    ]


def test_command_line_modules_import_without_theano(tmp_path):
    names = command_line_modules()
    problems = _probe(names, str(tmp_path))
    if any(p.startswith("imports ") for p in problems.values()):
        # One module pulled Theano in; check the rest one by one so every culprit is named.
        culprit = next(n for n, p in problems.items() if p.startswith("imports "))
        for name in names[names.index(culprit) + 1 :]:
            problems.update(_probe([name], str(tmp_path)))
    assert not problems, "command-line-side modules that import Theano or fail to import:\n" + "\n".join(
        f"  {name}: {problem}" for name, problem in sorted(problems.items())
    )
    assert not os.listdir(tmp_path)  # importing wrote nothing


# --- (b) no import cycle ----------------------------------------------------------


def _package_of(name: str, path: str) -> str:
    return name if os.path.basename(path) == "__init__.py" else name.rpartition(".")[0]


def _resolve(name: str, path: str, level: int, module: Optional[str]) -> str:
    if level == 0:
        return module or ""
    base = _package_of(name, path)
    for _ in range(level - 1):
        base = base.rpartition(".")[0]
    return f"{base}.{module}" if module else base


def _known(dotted: str, known) -> Optional[str]:
    """The most specific of our modules ``dotted`` names (a.b.c, else a.b, else a)."""
    while dotted:
        if dotted in known:
            return dotted
        dotted = dotted.rpartition(".")[0]
    return None


def imports(name: str, path: str, known) -> Dict[str, int]:
    """Our modules that ``name`` imports (anywhere in the file) -> the first line doing so."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    edges: Dict[str, int] = {}

    def add(target: Optional[str], line: int) -> None:
        if target and target != name:
            edges.setdefault(target, line)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(_known(alias.name, known), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(name, path, node.level, node.module)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                add(submodule if submodule in known else _known(source, known), node.lineno)
    return dict(sorted(edges.items(), key=lambda item: item[1]))


def import_graph(packages=PACKAGES) -> Tuple[Dict[str, Dict[str, int]], Dict[str, str]]:
    files = modules(packages)
    return {name: imports(name, path, files) for name, path in files.items()}, files


def strongly_connected(graph: Dict[str, Dict[str, int]]) -> List[List[str]]:
    """Tarjan's components with more than one module, each sorted, in sorted order."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    components = []

    def visit(start: str) -> None:  # iterative, so a deep chain cannot overflow
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(components)


def shortest_cycle(graph: Dict[str, Dict[str, int]], component: List[str]) -> List[str]:
    """The shortest cycle through the component's first module, staying inside it."""
    start, members = component[0], set(component)
    previous: Dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in graph[node]:
                if child not in members:
                    continue
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"no cycle through {start}")


def describe_cycle(graph, files, cycle: List[str]) -> str:
    steps = [f"{a} -> {b}  ({os.path.relpath(files[a], REPO)}:{graph[a][b]})" for a, b in zip(cycle, cycle[1:])]
    return "\n".join("    " + step for step in steps)


def test_the_import_graph_sees_every_kind_of_import(tmp_path):
    files = {
        "__init__.py": "from pkg.base import VALUE\n",
        "base.py": "VALUE = 1\n",
        "absolute.py": "import pkg.base\nimport pkg.sub.deep as deep\nimport os, json\n",
        "relative.py": "from . import base\nfrom .sub import deep\nfrom .sub.deep import name\n",
        "late.py": "def f():\n    from pkg import relative\n    return relative\n",
        "attribute.py": "from pkg import VALUE\nfrom pkg.sub import CONSTANT, missing\n",
        "sub/__init__.py": "from .. import base\nfrom . import deep\nCONSTANT = 2\n",
        "sub/deep.py": "from ..base import VALUE\nfrom ... import outside\nname = VALUE\n",
        "sub/notes/__init__.txt": "",
    }
    for name, text in files.items():
        (tmp_path / "pkg" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "pkg" / name).write_text(text)
    graph, found = import_graph((("pkg", str(tmp_path / "pkg")),))
    assert set(found) == {
        "pkg",
        "pkg.base",
        "pkg.absolute",
        "pkg.relative",
        "pkg.late",
        "pkg.attribute",
        "pkg.sub",
        "pkg.sub.deep",
    }
    assert graph == {
        "pkg": {"pkg.base": 1},
        "pkg.base": {},
        "pkg.absolute": {"pkg.base": 1, "pkg.sub.deep": 2},
        "pkg.relative": {"pkg.base": 1, "pkg.sub.deep": 2},
        "pkg.late": {"pkg.relative": 2},  # inside a function
        "pkg.attribute": {"pkg": 1, "pkg.sub": 2},  # names, not modules
        "pkg.sub": {"pkg.base": 1, "pkg.sub.deep": 2},
        "pkg.sub.deep": {"pkg.base": 1},
    }  # beyond the package: not ours


def test_the_rules_package_is_theanolint_rules():
    found = modules()
    assert found["theanolint.rules"] == os.path.join(REPO, "rules", "__init__.py")
    assert "theanolint.rules.tl101_float64" in found
    graph, _ = import_graph()
    assert "theanolint.rules" in graph["theanolint.ruleset.catalog"]


def test_cycle_finder_on_a_made_graph():
    graph = {"a": {"b": 1}, "b": {"c": 2, "d": 1}, "c": {"a": 3}, "d": {}, "e": {"f": 1}, "f": {"e": 9}, "g": {"g": 1}}
    assert strongly_connected(graph) == [["a", "b", "c"], ["e", "f"]]
    assert shortest_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert shortest_cycle(graph, ["e", "f"]) == ["e", "f", "e"]


def test_no_import_cycles():
    graph, files = import_graph()
    components = strongly_connected(graph)
    report = []
    for component in components:
        report.append(
            f"  {len(component)} modules import each other: {', '.join(component)}\n"
            f"  for example:\n{describe_cycle(graph, files, shortest_cycle(graph, component))}"
        )
    assert not components, "import cycles among theanolint's modules:\n" + "\n".join(report)


# --- (c) small modules ------------------------------------------------------------


def test_no_module_is_over_the_line_limit():
    sizes = {}
    for path in modules().values():
        with open(path, encoding="utf-8") as handle:
            sizes[os.path.relpath(path, REPO)] = len(handle.read().splitlines())
    over = {path: count for path, count in sizes.items() if count > MAX_LINES}
    assert not over, f"modules over {MAX_LINES} lines:\n" + "\n".join(
        f"  {path}: {count} lines" for path, count in sorted(over.items(), key=lambda item: -item[1])
    )
