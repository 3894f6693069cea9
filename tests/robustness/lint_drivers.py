"""Pytest side of the graph drivers: one long-lived ``graph_driver`` process per
target, both fed the same builder module at once, so the two targets lint in
parallel and Theano is imported once per target, not once per graph.

The pytest process never imports Theano: it only resolves the targets
(``theanolint.device.target.from_config``, which builds the virtual CUDA device's
libraries) and passes their environment to the drivers.
"""

import json
import os
import select
import signal
import subprocess
import sys
from dataclasses import asdict
from typing import Dict

import graph_source

from theanolint.config import loading as configuration
from theanolint.device.target import from_config

DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph_driver.py")
TARGETS = ("opencl", "cuda")
ANSWER_SECONDS = 300  # a graph whose lint takes longer is a hang, reported as such


class DriverDied(AssertionError):
    """The driver crashed or hung; it is restarted for the next graph."""


class Driver:
    def __init__(self, kind: str, root: str):
        self.kind, self.root = kind, root
        target = from_config(dict(configuration.defaults(), root=root), kind)
        self.env = dict(os.environ)
        self.env.pop("THEANO_FLAGS", None)
        self.env.update(target.environment())
        self.target_json = json.dumps(asdict(target))
        self.log_path = os.path.join(root, f"driver-{kind}.log")
        self.process = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, DRIVER, self.target_json, self.root],
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
            )

    def wait_ready(self) -> None:
        ready = self._receive()
        assert ready.get("ready") == self.kind, ready

    def send(self, module: str) -> None:
        if self.process is None or self.process.poll() is not None:
            self.start()
            self.wait_ready()
        self.process.stdin.write(json.dumps({"module": module}) + "\n")
        self.process.stdin.flush()

    def _receive(self) -> Dict:
        readable, _, _ = select.select([self.process.stdout], [], [], ANSWER_SECONDS)
        line = self.process.stdout.readline() if readable else ""
        if not line:
            self.stop()
            raise DriverDied(
                f"the {self.kind} driver {'hung' if not readable else 'died'}; its log ends with:\n{self.log_tail()}"
            )
        return json.loads(line)

    def receive(self) -> Dict:
        return self._receive()

    def log_tail(self, lines: int = 30) -> str:
        with open(self.log_path, errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None


class Drivers:
    """Both targets' drivers over one project folder of builder modules."""

    def __init__(self, root: str):
        self.root = root
        self.by_target = {kind: Driver(kind, root) for kind in TARGETS}
        for driver in self.by_target.values():  # both start at once
            driver.start()
        for driver in self.by_target.values():
            driver.wait_ready()

    def write(self, spec: Dict, name: str) -> str:
        """The builder module ``name`` for ``spec`` in the project; its source text."""
        text = graph_source.render(spec, name)
        with open(os.path.join(self.root, f"{name}.py"), "w") as handle:
            handle.write(text)
        return text

    def lint(self, name: str) -> Dict[str, Dict]:
        """Each target's answer for module ``name`` (linted on both targets at once)."""
        for driver in self.by_target.values():
            driver.send(name)
        answers, died = {}, []
        for kind, driver in self.by_target.items():
            try:
                answers[kind] = driver.receive()
            except DriverDied as error:  # read the other answer first: no stale line left
                died.append(str(error))
        if died:
            raise DriverDied("\n".join(died))
        return answers

    def close(self) -> None:
        for driver in self.by_target.values():
            driver.stop()
