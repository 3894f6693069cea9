"""theanolint's lint time of a deep Keras model next to Theano's optimizer time.

    .venv/bin/python benchmarks/deep_keras.py [--model resnet|resnet50] [--target cuda|opencl]

Lints the training function of a deep Keras 2.3.1 model from
tests/projects/keras in one ``theanolint --format json --no-cache --jobs 1``
run, and prints the run's wall time (the subprocess: Theano's start-up, Keras's
import, the builder with its weight initialization, Theano's optimizer, the
rules) next to Theano's optimizer time for the same function (the
``FunctionMaker`` construction that ``theano.function`` would also do, recorded
by the worker as functions[].optimize_seconds), and their ratio, all from that
one run.  ``resnet`` (default) is the 50-weight-layer residual model of the test
suite; ``resnet50`` is keras.applications.ResNet50(weights=None), about
5 minutes on two cores.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.join(HERE, "..", "tests", "projects", "keras")
MODELS = {
    "resnet": ("deep.theanolint.yaml", "keras.resnet:train_function"),
    "resnet50": ("resnet50.theanolint.yaml", "keras.resnet50:train_function"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(MODELS), default="resnet")
    parser.add_argument("--target", choices=("cuda", "opencl"), default="cuda")
    args = parser.parse_args()
    config, unit = MODELS[args.model]
    with tempfile.TemporaryDirectory(prefix="keras-home-") as keras_home:
        env = dict(os.environ, KERAS_HOME=keras_home)
        start = time.perf_counter()
        process = subprocess.run(
            [
                sys.executable,
                "-m",
                "theanolint",
                "--config",
                config,
                "--target",
                args.target,
                "--format",
                "json",
                "--no-cache",
                "--jobs",
                "1",
            ],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
    if process.returncode not in (0, 1):
        sys.exit(f"theanolint failed: {process.stderr[-2000:]}")
    report = json.loads(process.stdout)
    function = next(f for f in report["functions"] if f["name"] == unit)
    optimize = function["optimize_seconds"]
    print(
        f"{unit} on {report['target']}: {function['nodes']} nodes after optimization "
        f"({function['gpu_nodes']} on the GPU)"
    )
    print(f"{'theanolint, whole run (wall)':38} {wall:8.1f}s")
    print(f"{'Theano optimizer (FunctionMaker)':38} {optimize:8.1f}s")
    print(f"{'ratio theanolint / optimizer':38} {wall / optimize:8.2f}")


if __name__ == "__main__":
    main()
