"""Print, per function, whether theanolint's optimized graph equals Theano's own.

Run in a fresh process per target (Theano's flags are read at import):
    python graph_identity.py TARGET PROJECT_DIR MODULE [MODULE ...]

TARGET is opencl, cuda or cuda-nocudnn.
For each registered builder it lints the functions the builder makes (capture
plus FunctionMaker, no linking) and then calls the builder again without
theanolint, so ``theano.function`` really compiles, and compares
``canonical(linted)`` with ``canonical(function.maker.fgraph)``.
"""

import importlib
import json
import os
import sys


def main(target_name, project, modules):
    from theanolint.config import loading as configuration
    from theanolint.device import target as targets

    config = configuration.defaults()
    config.update(root=project)
    if target_name == "cuda-nocudnn":  # cuDNN ops optimize but cannot compile here
        target_name, config["cuda"]["cudnn"] = "cuda", "none"
    target = targets.from_config(config, target_name)
    if not os.environ.get("THEANO_FLAGS"):
        os.environ.update(target.environment())
        os.execv(sys.executable, [sys.executable] + sys.argv)
    from theanolint.device.startup import start_theano

    start_theano(target)
    import theano.compile.function_module as function_module

    from theanolint import builders as registry
    from theanolint.analysis import capture, graph, optimize

    registrations = registry.start_collecting()
    sys.path.insert(0, project)
    for module in modules:
        importlib.import_module(module)
    results = {}
    for registration in registrations:
        with capture.capturing() as captured:
            registration.builder()
        linted = [graph.canonical(optimize.optimize(record).fgraph) for record in captured]
        made = []
        real = function_module.orig_function

        def spy(*args, **kwargs):
            made.append(real(*args, **kwargs))  # noqa: B023  (called within this iteration)
            return made[-1]  # noqa: B023

        holders = capture._HOLDERS
        saved = [h.orig_function for h in holders]
        for holder in holders:
            holder.orig_function = spy
        try:
            registration.builder()
        finally:
            for holder, original in zip(holders, saved):
                holder.orig_function = original
        compiled = [graph.canonical(f.maker.fgraph) for f in made]
        results[registration.name] = {
            "identical": linted == compiled,
            "functions": len(made),
            "linted": linted,
            "compiled": compiled,
        }
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3:])
