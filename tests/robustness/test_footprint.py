"""What a lint writes and whom it talks to, as the README says ("What theanolint runs").

Python's audit hooks, installed in the command-line process and in every
worker through a sitecustomize, record each file opened for writing, each
folder made, file renamed or removed, and every socket.  A lint of a normal
project on each target may write only to its result cache, theanolint's
per-user cache, the temporary folder, the file given with --output-file and
Python's own __pycache__; it creates no socket and resolves no name.  (Writes from C code, such as
the OpenCL driver's kernel cache, are not seen by audit hooks.)
"""

import json
import os
import shutil

import pytest
from conftest import PROJECTS, theanolint

SITECUSTOMIZE = """\
import json, os, sys
_fd = os.open(os.environ["FOOTPRINT_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# event: (number of path arguments, the index of each one's dir_fd argument)
_PATHS = {"os.mkdir": (1, [2]), "os.rename": (2, [2, 3]), "os.remove": (1, [1]),
          "os.rmdir": (1, [1]), "shutil.rmtree": (1, [1]), "os.symlink": (2, [None, 2]),
          "os.link": (2, [2, 3]), "os.truncate": (1, [None])}


def _absolute(path, dir_fd):
    if isinstance(path, int):
        return str(path)                           # an open file descriptor
    path = os.fsdecode(path)
    if dir_fd is not None and dir_fd >= 0 and not os.path.isabs(path):
        return os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), path)
    return os.path.abspath(path)


def _record(event, args):
    if event == "open":
        path, mode, flags = args
        if not ((mode and any(c in mode for c in "wax+")) or (mode is None and flags & _WRITING)):
            return
        paths = [_absolute(path, None)]
    elif event in _PATHS:
        count, fds = _PATHS[event]
        paths = [_absolute(args[i], None if fds[i] is None else args[fds[i]]) for i in range(count)]
    elif event.startswith("socket."):
        paths = [repr(args)[:200]]
    else:
        return
    os.write(_fd, (json.dumps([event, os.getpid()] + paths) + "\\n").encode())


sys.addaudithook(_record)
"""


def _allowed(path, roots):
    return (
        any(path == root or path.startswith(os.path.join(root, "")) for root in roots)
        or f"{os.sep}__pycache__{os.sep}" in path
        or path.startswith("/dev/")
        or path.isdigit()
    )  # an already open file descriptor


@pytest.mark.parametrize("target", ["opencl", "cuda"])
def test_a_lint_writes_only_its_caches_and_opens_no_socket(tmp_path, target):
    project = tmp_path / "project"
    shutil.copytree(
        os.path.join(PROJECTS, "hostile"), project, ignore=shutil.ignore_patterns(".theanolint_cache", "__pycache__")
    )
    site, temp, log = tmp_path / "site", tmp_path / "tmp", tmp_path / "events.jsonl"
    site.mkdir()
    temp.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    report = tmp_path / "out" / "report.json"
    env = {
        "PYTHONPATH": str(site) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "FOOTPRINT_LOG": str(log),
        "TMPDIR": str(temp),
    }
    from theanolint.cache import paths as cache

    run = theanolint(
        "--config",
        "normal.theanolint.yaml",
        "--target",
        target,
        "--format",
        "json",
        "-o",
        str(report),
        cwd=project,
        env=env,
    )
    assert run.code == 1, run.stderr
    assert json.loads(report.read_text())["findings"]
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert len({e[1] for e in events}) >= 2, "the audit hook did not run in the worker"
    # socket.gethostname (Theano's compile lock names its owner) is uname(2), no network
    assert [e for e in events if e[0].startswith("socket.") and e[0] != "socket.gethostname"] == []
    roots = [str(project / ".theanolint_cache"), cache.user_cache_dir(), str(temp), str(report.parent), str(log)]
    writes = [e for e in events if not e[0].startswith("socket.")]
    assert [e for e in writes if not all(_allowed(p, roots) for p in e[2:])] == []
    assert sorted(os.listdir(temp)) == []  # the scratch folder is removed
