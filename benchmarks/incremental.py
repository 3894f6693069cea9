"""What a commit costs: the 3-file hook of issue #18, with and without incremental lint.

    .venv/bin/python benchmarks/incremental.py [--repeat 1]

A temporary project as the pre-commit hook sees it, target cuda: ``a_keras.py``
(tests/projects/keras/keras_deep.py, a 24-block ResNet-style Keras model),
``b_mlp.py`` (a small MLP), ``c_lstm.py`` (a small LSTM over scan).  After a cold
run fills the caches, each scenario is timed twice in the same session: "before",
with the builder manifest (``builders-*.json``, theanolint.cache.builders) removed
first, which is exactly the previous behaviour (every builder runs, unchanged
functions are per-function cache hits), and "now", with it.  Printed: both wall
times and their ratio, and the load average.
"""

import argparse
import glob
import os
import shutil
import sys
import tempfile

from benchutil import REPO, cli, median

KERAS = os.path.join(REPO, "tests", "projects", "keras")
MLP = """\
import numpy as np
import theano
import theano.tensor as T

import theanolint

floatX = theano.config.floatX


@theanolint.register(name="mlp", shapes={"x": (64, 20), "y": (64,)})
def build():
    x, y = T.matrix("x"), T.ivector("y")
    W = theano.shared(np.zeros((20, 10), dtype=floatX), name="W")
    b = theano.shared(np.zeros(10, dtype=floatX), name="b")
    p = T.nnet.softmax(x.dot(W) + b)
    cost = T.nnet.categorical_crossentropy(p, y).mean()
    updates = [(v, v - np.asarray(0.1, floatX) * g) for v, g in zip((W, b), T.grad(cost, (W, b)))]
    return theano.function([x, y], cost, updates=updates, name="train")
"""
LSTM = """\
import numpy as np
import theano
import theano.tensor as T

import theanolint

floatX = theano.config.floatX


@theanolint.register(name="lstm", shapes={"x": (12, 8, 16)})
def build():
    x = T.tensor3("x")
    W = theano.shared(np.zeros((16, 64), dtype=floatX), name="W")
    U = theano.shared(np.zeros((16, 64), dtype=floatX), name="U")

    def step(x_t, h, c):
        gates = x_t.dot(W) + h.dot(U)
        i, f, o, g = [gates[:, k * 16:(k + 1) * 16] for k in range(4)]
        c = T.nnet.sigmoid(f) * c + T.nnet.sigmoid(i) * T.tanh(g)
        return T.nnet.sigmoid(o) * T.tanh(c), c

    zeros = T.zeros((x.shape[1], 16), dtype=floatX)
    (h, _c), _ = theano.scan(step, sequences=x, outputs_info=[zeros, zeros], name="lstm_step")
    cost = h[-1].sum()
    grads = T.grad(cost, [W, U])
    updates = [(v, v - np.asarray(0.01, floatX) * g) for v, g in zip((W, U), grads)]
    return theano.function([x], cost, updates=updates, name="train")
"""


def _project(folder):
    shutil.copy(os.path.join(KERAS, "keras_compat.py"), folder)
    shutil.copy(os.path.join(KERAS, "keras_deep.py"), os.path.join(folder, "a_keras.py"))
    with open(os.path.join(folder, "b_mlp.py"), "w") as handle:
        handle.write(MLP)
    with open(os.path.join(folder, "c_lstm.py"), "w") as handle:
        handle.write(LSTM)
    with open(os.path.join(folder, ".theanolint.yaml"), "w") as handle:
        handle.write("target: cuda\nmodules: [a_keras, b_mlp, c_lstm]\n")


def _forget(folder, patterns):
    for pattern in patterns:
        for path in glob.glob(os.path.join(folder, ".theanolint_cache", "*", pattern)):
            os.remove(path)


def _append(path, text):
    with open(path, "a") as handle:
        handle.write(f"# {text}\n")


def _insert_top(path, text):
    with open(path) as handle:
        body = handle.read()
    with open(path, "w") as handle:
        handle.write(f"# {text}\n" + body)


MANIFEST = ("builders-*.json",)
# Before, the run cache was keyed on the PATHS given: a run with other PATHS missed it.
RUN_CACHE_AND_MANIFEST = ("builders-*.json", "run-*.json")


def _time(folder, edit, paths, forget):
    """One edit, then ``theanolint PATHS``; ``forget``: the records the old code lacked."""
    edit()
    _forget(folder, forget)
    wall, report = cli(folder, "--format", "json", *paths)
    ran = sorted(u["name"] for u in report["functions"] if not u.get("cached"))
    return wall, ran


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="theanolint-incremental-") as folder:
        os.environ["KERAS_HOME"] = os.path.join(folder, ".keras")
        _project(folder)
        cold, report = cli(folder, "--format", "json")
        print(f"cold, all three: {cold:.2f} s, {len(report['functions'])} function(s)")
        b, a = os.path.join(folder, "b_mlp.py"), os.path.join(folder, "a_keras.py")
        counter = iter(range(1000))
        scenarios = [
            (
                "comment appended to b_mlp.py, `theanolint b_mlp.py`",
                lambda: _append(b, next(counter)),
                ["b_mlp.py"],
                MANIFEST,
            ),
            (
                "nothing changed, `theanolint b_mlp.py` after `theanolint`",
                lambda: cli(folder),
                ["b_mlp.py"],
                RUN_CACHE_AND_MANIFEST,
            ),
            (
                "comment line inserted at the top of a_keras.py, `theanolint`",
                lambda: _insert_top(a, next(counter)),
                [],
                MANIFEST,
            ),
        ]
        print("| scenario | before (s) | now (s) | now / before | functions optimized again (now) |")
        print("| --- | --- | --- | --- | --- |")
        for title, edit, paths, forget in scenarios:
            before = [_time(folder, edit, paths, forget)[0] for _ in range(args.repeat)]
            runs = [_time(folder, edit, paths, ()) for _ in range(args.repeat)]
            now = [wall for wall, _ in runs]
            ran = ", ".join(runs[-1][1]) or "none"
            ratio = median(now) / median(before)
            print(f"| {title} | {median(before):.2f} | {median(now):.2f} | {ratio:.2f} | {ran} |")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
