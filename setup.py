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
    python_requires=">=3.11,<3.12",
    install_requires=["Theano==1.0.5", "numpy==1.23.5", "scipy<1.12", "PyYAML>=6", "jsonschema>=4", "graphviz>=0.20"],
    entry_points={"console_scripts": ["theanolint = theanolint.cli:main"]},
)
