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
    # 3.11: Debian 12's pygpu (python3-pygpu) is built for it; the code itself is not the limit.
    python_requires=">=3.11,<3.12",
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
