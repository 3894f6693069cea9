"""theanolint.workers.main: which registrations a worker lints (``_mine``), and that the
module itself is importable without Theano."""

import subprocess
import sys

import pytest

from theanolint.builders import Registration
from theanolint.config.loading import defaults
from theanolint.device.target import Target
from theanolint.protocol import Job
from theanolint.workers.main import _mine

NAMES = ["lm.train", "mlp.eval", "mlp.train", "alpha", "zeta", "keras.resnet", "b"]


def _registrations(names=NAMES):
    return [Registration(name=n, builder=lambda: None, path=f"/p/{n}.py", line=i + 1) for i, n in enumerate(names)]


def _job(**changes):
    return Job(target=Target("opencl", "opencl0:0"), root="/p", modules=(), files=(), config=defaults(), **changes)


def _names(registrations, **changes):
    return [r.name for r in _mine(registrations, _job(**changes))]


def test_one_shard_is_everything_by_name():
    assert _names(_registrations()) == sorted(NAMES)


@pytest.mark.parametrize("total", [2, 3, 4, 7, 10])
def test_every_nth_by_name(total):
    ordered = sorted(NAMES)
    shares = [_names(_registrations(), shard=(k, total)) for k in range(total)]
    for k, share in enumerate(shares):
        assert share == ordered[k::total]
    assert sorted(n for share in shares for n in share) == ordered  # each exactly once


def test_shares_do_not_depend_on_registration_order():
    forward = _names(_registrations(NAMES), shard=(1, 3))
    backward = _names(_registrations(list(reversed(NAMES))), shard=(1, 3))
    assert forward == backward == sorted(NAMES)[1::3]


def test_skip_drops_done_builders_without_moving_the_shares():
    ordered = sorted(NAMES)  # alpha, b, keras.resnet, lm.train, mlp.eval, mlp.train, zeta
    assert _names(_registrations(), shard=(0, 2)) == ["alpha", "keras.resnet", "mlp.eval", "zeta"]
    assert _names(_registrations(), shard=(0, 2), skip=("alpha", "mlp.eval")) == ["keras.resnet", "zeta"]
    assert _names(_registrations(), shard=(1, 2), skip=("alpha",)) == ordered[1::2]  # not its share
    assert _names(_registrations(), skip=tuple(NAMES)) == []


def test_only_exact_builder_names():
    assert _names(_registrations(), only=("mlp.train",)) == ["mlp.train"]
    assert _names(_registrations(), only=("mlp.train", "b")) == ["b", "mlp.train"]
    assert _names(_registrations(), only=("mlp",)) == []  # not a prefix of names
    assert _names(_registrations(), only=("nothing",)) == []


def test_only_builder_colon_function():
    assert _names(_registrations(), only=("mlp.train:train",)) == ["mlp.train"]
    assert _names(_registrations(), only=("mlp.train:0", "lm.train:step")) == ["lm.train", "mlp.train"]
    assert _names(_registrations(), only=("mlp:train",)) == []
    assert _names(_registrations(), only=("mlp.trainer:f",)) == []  # "mlp.train" + ":" is no prefix


def test_only_skip_and_shard_together():
    names = _names(_registrations(), shard=(1, 2), only=("b:f", "lm.train:f", "mlp.train", "zeta"), skip=("lm.train",))
    assert names == ["b", "mlp.train"]  # share 1 of 2: b, lm.train, mlp.train; zeta is share 0


def test_mine_is_lazy_and_leaves_its_input_alone():
    registrations = _registrations()
    before = list(registrations)
    mine = _mine(registrations, _job())
    assert not isinstance(mine, list)
    assert next(mine).name == "alpha"
    assert registrations == before


def test_importing_the_worker_module_does_not_import_theano():
    code = (
        "import sys\n"
        "import theanolint.workers.main\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('theano', 'pygpu'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
