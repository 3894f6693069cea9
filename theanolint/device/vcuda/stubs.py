"""Compiling the C stand-ins for libcuda, libnvrtc and libcublas.

They are built once per version of the sources into a cache directory, so
that workers only have to load them.
"""

import hashlib
import os
import shutil
import subprocess
import tempfile

from .errors import VirtualDeviceError

_SRC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "src")
#: library file name -> C source, libcuda first (the order they are loaded
#: in).  The file names double as sonames: glibc's dlopen("libcuda.so") finds
#: an already-loaded object whose soname matches.
STUB_LIBRARIES = {"libcuda.so": "libcuda.c", "libnvrtc.so": "libnvrtc.c", "libcublas.so": "libcublas.c"}
_HEADERS = ["vcuda.h"]


def _source_hash():
    h = hashlib.sha256()
    for name in sorted(set(STUB_LIBRARIES.values()) | set(_HEADERS)):
        with open(os.path.join(_SRC_DIR, name), "rb") as f:
            h.update(name.encode() + b"\0" + f.read() + b"\0")
    return h.hexdigest()[:16]


def _has_all_stubs(directory):
    return all(os.path.isfile(os.path.join(directory, lib)) for lib in STUB_LIBRARIES)


def _find_c_compiler():
    for cand in (os.environ.get("CC"), "cc", "gcc", "clang"):
        if cand:
            path = shutil.which(cand.split()[0])
            if path:
                return path
    raise VirtualDeviceError(
        "the virtual CUDA device needs a C compiler to build its stub "
        "libraries; none found (tried $CC, cc, gcc, clang). Install one, "
        "e.g. 'apt-get install gcc' (Debian/Ubuntu) or 'dnf install gcc'."
    )


def build(cache_dir: str) -> str:
    """Compile the stubs into ``cache_dir/<hash of sources>/`` (once).

    Builds into a temporary directory and renames it into place, so
    concurrent callers either see a complete directory or build their own
    copy and discard it.  Returns the directory holding libcuda.so,
    libnvrtc.so and libcublas.so.
    """
    final = os.path.join(os.path.abspath(cache_dir), _source_hash())
    if _has_all_stubs(final):
        return final
    os.makedirs(os.path.dirname(final), exist_ok=True)
    cc = _find_c_compiler()
    tmp = tempfile.mkdtemp(prefix=".vcuda-build-", dir=os.path.dirname(final))
    try:
        for lib, src in STUB_LIBRARIES.items():
            cmd = [
                cc,
                "-shared",
                "-fPIC",
                "-O2",
                "-Wl,-soname," + lib,
                "-o",
                os.path.join(tmp, lib),
                os.path.join(_SRC_DIR, src),
                "-lpthread",
            ]
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
            if r.returncode != 0:
                raise VirtualDeviceError("building %s failed:\n%s\n%s" % (lib, " ".join(cmd), r.stdout))
        try:
            os.rename(tmp, final)
        except OSError:
            # Another process won the race; its directory is complete.
            if not _has_all_stubs(final):
                raise
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    return final
