"""Rule tests: each rule's cases linted in this process by ``theanolint.testing``.

The ``harness`` fixture starts Theano on the virtual CUDA device once per session,
on the first rule test that asks for it (collecting these modules starts
nothing).  Once Theano is imported, this process cannot go back, so when one
pytest run collects these tests with others (``pytest tests``), the rule tests run
after all the others (see ``pytest_collection_modifyitems``); the harness puts
``os.environ`` back after its start, so later subprocesses do not inherit its
Theano flags either.
"""

import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
PARENT_CONFTEST = HERE.parent / "conftest.py"


def pytest_plugin_registered(plugin, manager):
    """Give ``import conftest`` back to tests/conftest.py.

    Without an ``__init__.py``, every conftest.py is imported as the module
    ``conftest``; pytest drops the previous one from ``sys.modules`` to import this
    one, and tests/test_*.py modules collected after this folder (``from conftest
    import theanolint``) would get this module.  Once pytest has registered this
    module, ``sys.modules["conftest"]`` goes back to tests/conftest.py (which pytest
    still holds as a plugin).  Nothing imports this module by name.
    """
    if plugin is not sys.modules.get(__name__) or __name__ != "conftest":
        return
    parent = manager.get_plugin(str(PARENT_CONFTEST))
    if parent is not None:
        sys.modules["conftest"] = parent


def _ours(item) -> bool:
    return HERE in pathlib.Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(session, config, items):
    """Rule tests last: nothing that needs a process without Theano runs after them."""
    ours = [item for item in items if _ours(item)]
    if ours and len(ours) != len(items):
        items[:] = [item for item in items if not _ours(item)] + ours


@pytest.fixture(scope="session")
def harness():
    """Theano on the virtual CUDA device in this process, started once."""
    from theanolint import testing

    started = testing.harness()
    yield started
    testing.cleanup()


@pytest.fixture
def lint_source(harness):
    """``harness.lint_source``: the findings of the selected rules on a source string."""
    return harness.lint_source


@pytest.fixture
def lint(harness):
    """``harness.lint``: a ``theanolint.testing.Result`` for a source string."""
    return harness.lint
