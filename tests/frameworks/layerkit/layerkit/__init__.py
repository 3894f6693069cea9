"""layerkit: a compact copy of Lasagne master's shapes, a test fixture of theanolint.

It mirrors how Lasagne (https://github.com/Lasagne/Lasagne, master) creates Theano
state, because that decides who a finding belongs to:

- parameters: ``Layer.add_param`` -> ``utils.create_param`` -> ``theano.shared(..., name=...)``,
  named ``"W"``/``"b"`` on an unnamed layer and ``"<layer name>.W"`` on a named one;
- optimizer state: ``updates.*`` make velocities, accumulators, adam's m/v and ``t_prev``
  with ``theano.shared`` and no name;
- RNG state: ``DropoutLayer`` makes an ``MRG_RandomStreams`` whose state Theano creates.

Lasagne's usable version is its git master (0.1 on PyPI does not import with Theano 1.0),
so the tests install this package instead: non-editable, into site-packages, where
theanolint treats it as an installed framework.  It is written for the tests, keeps
Lasagne's names and call structure where they matter for provenance, and is not a
framework to build models with.
"""

from . import init, layers, nonlinearities, objectives, updates, utils  # noqa: F401

__version__ = "0.1.0"
