"""theanolint.config.sizes: byte sizes as the config writes them."""

import pytest

from theanolint.config.sizes import UNITS, parse_size


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, 0),
        (8589934592, 8589934592),
        ("8GiB", 8 * 2**30),
        ("8 GiB", 8 * 2**30),
        ("1.5 GB", 1_500_000_000),
        ("2GB", 2 * 10**9),
        ("100B", 100),
        ("1KB", 1000),
        ("1KiB", 1024),
        ("3MB", 3 * 10**6),
        ("3MiB", 3 * 2**20),
        ("1TB", 10**12),
        ("1TiB", 2**40),
        ("0.5KiB", 512),
        ("1.9999B", 1),
    ],
)  # truncated to bytes
def test_parse_size(value, expected):
    assert parse_size(value) == expected
    assert isinstance(parse_size(value), int)


def test_units_are_decimal_and_binary():
    assert UNITS["GB"] == 10**9 and UNITS["GiB"] == 2**30
    assert set(UNITS) == {"B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"}


@pytest.mark.parametrize("value", ["8 gib", "8GIB", "GiB", "8  GiB", "8PiB", "-1GB", "8"])
def test_parse_size_refuses_what_the_schema_refuses(value):
    with pytest.raises(AttributeError):  # no match; the schema's pattern stops these first
        parse_size(value)
