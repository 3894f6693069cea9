"""Byte sizes as the config writes them: ``8589934592``, ``"8GiB"``, ``"1.5 GB"``."""

import re
from typing import Union

UNITS = {
    "B": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KiB": 2**10,
    "MiB": 2**20,
    "GiB": 2**30,
    "TiB": 2**40,
}


def parse_size(value: Union[int, str]) -> int:
    """``8589934592`` or ``"8GiB"`` / ``"1.5 GB"`` in bytes."""
    if isinstance(value, int):
        return value
    number, unit = re.fullmatch(r"([0-9.]+) ?([KMGT]?i?B)", value).groups()  # type: ignore[union-attr]  # no match: AttributeError (the schema refuses those first)
    return int(float(number) * UNITS[unit])
