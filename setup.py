import re
from pathlib import Path

from setuptools import find_packages, setup

# The one place the version is written: theanolint/__init__.py.
VERSION = re.search(
    r'^__version__ = "([^"]+)"', (Path(__file__).parent / "theanolint" / "__init__.py").read_text(), re.M
).group(1)

setup(
    name="theanolint",
    version=VERSION,
    description="Lint Theano functions on the graph a GPU would really run",
    packages=find_packages(include=["theanolint", "theanolint.*"]) + ["theanolint.rules"],
    package_dir={"theanolint.rules": "rules"},
    package_data={
        "theanolint.config": ["schema.json"],
        "theanolint.report": ["schema.json"],
        "theanolint.device.vcuda": ["src/*.c", "src/*.h"],
        "theanolint.report.html": ["static/*.css", "static/*.js"],
    },
    # The command line, config and rules run on 3.9+ (tests/test_python_versions.py);
    # Theano 1.0.5 does not import on 3.12 (no distutils, imp). Where pygpu comes from
    # Debian 12 (python3-pygpu), the worker needs its Python 3.11; conda-forge has others.
    python_requires=">=3.9,<3.12",
    # Ranges, not pins: a team's own numpy 1.23.x stays. Theano 1.0.5 needs numpy < 1.24
    # (np.bool) and scipy < 1.12; pygpu needs Mako. pkg_resources (setuptools < 82) is not
    # needed: the worker stands in for the one name Theano takes from it.
    install_requires=[
        "Theano>=1.0.5,<1.1",
        "numpy>=1.23.2,<1.24",
        "scipy<1.12",
        "Mako>=1.1",
        "PyYAML>=6",
        "jsonschema>=4",
        "graphviz>=0.20",
    ],
    entry_points={"console_scripts": ["theanolint = theanolint.cli:main"]},
)
