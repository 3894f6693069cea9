"""A long-lived lint process for drawn graphs: ``python graph_driver.py TARGET ROOT``.

Starting the command line per graph costs seconds (Theano's import, the
device); this process starts Theano on one target once, then answers one
JSON line per request on stdin: ``{"module": "case_0001"}`` (a builder module
under ROOT).  It lints the module in-process with the worker's own code
(``workers.main.lint``: import, build under capture, optimize, rules) and answers the
entries, the oracle's verdicts (``graph_oracle``), theanolint's internal
errors and, for build and optimize errors, whether Theano alone fails too.

To see which graph object each finding points at, ``pipeline._lint`` is
wrapped: the wrapper records what each rule passes to ``function.finding`` and
then calls the real function.  Nothing of Theano or the device is replaced.
"""

import importlib
import json
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))


class Collected:
    """Stands in for the worker's channel to its parent: keeps the messages."""

    def __init__(self):
        self.messages = []

    def send(self, message):
        self.messages.append(message)


class Linter:
    def __init__(self, target_json: str, root: str):
        from theanolint.analysis import pipeline
        from theanolint.config import loading as configuration
        from theanolint.device.startup import start_theano
        from theanolint.device.target import Target
        from theanolint.protocol import Job

        target = Target(**json.loads(target_json))
        self.context = start_theano(target)
        self.root = root
        self.job = Job(target=target, root=root, modules=(), files=(), config=dict(configuration.defaults(), root=root))
        self.observed = []
        self._observe(pipeline)

    def _observe(self, pipeline) -> None:
        real_lint = pipeline._lint

        def lint(function, settings):
            subjects = {}
            make = function.finding

            def finding(thing, message, *args, **data):  # scope, subjects: as LintedFunction.finding
                made = make(thing, message, *args, **data)
                subjects[id(made)] = thing
                return made

            function.finding = finding
            answer = real_lint(function, settings)
            self.observed.append((function, subjects))
            return answer

        pipeline._lint = lint

    def lint(self, module_name: str) -> dict:
        """The worker's own lint of one module (``workers.main.lint``), and the oracle's view."""
        from dataclasses import replace

        import graph_oracle

        from theanolint import protocol
        from theanolint.workers import main as worker

        self.observed = []
        channel = Collected()
        path = list(sys.path)
        try:
            importlib.invalidate_caches()  # the module was written after start-up
            internal_errors = worker.lint(replace(self.job, modules=(module_name,)), channel, self.context)
            entries = [protocol.entry_dict(e) for message in channel.messages for e in getattr(message, "entries", ())]
            units = [graph_oracle.judge(unit, subjects) for unit, subjects in self.observed]
            for entry, unit in zip(entries, units):  # findings made outside the rules' units
                unit["verdicts"] += [{"subject": "location"}] * (len(entry["findings"]) - len(unit["verdicts"]))
            answer = {"entries": entries, "internal_errors": internal_errors, "units": units}
            if any(f["code"] in ("TL001", "TL002") for e in entries for f in e["findings"]):
                answer["theano_alone"] = _theano_alone(sys.modules.get(module_name))
            return answer
        finally:
            sys.modules.pop(module_name, None)
            sys.path[:] = path  # the worker puts the root first each time
            self.observed = []


def _theano_alone(module) -> str:
    """What Theano itself says when the builder runs without theanolint (its
    ``theano.function`` call compiles for real)."""
    if module is None:
        return "ImportError: the builder module did not import"
    try:
        module.build()
    except Exception as error:
        where = "".join(traceback.format_exception(error)[-6:])
        return f"{type(error).__name__}: {error}\n{where}"
    return ""


def main(target_json: str, root: str) -> None:
    protocol = os.fdopen(os.dup(1), "w")  # answers only; all else printed goes to stderr
    os.dup2(2, 1)
    sys.path[:0] = [root, HERE]
    os.chdir(root)
    linter = Linter(target_json, root)
    protocol.write(json.dumps({"ready": linter.context.kind.decode()}) + "\n")
    protocol.flush()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = linter.lint(request["module"])
        except BaseException:  # theanolint raised: the test reports it
            answer = {"crash": traceback.format_exc()}
        protocol.write(json.dumps(answer) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main(*sys.argv[1:])
