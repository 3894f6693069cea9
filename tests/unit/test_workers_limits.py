"""theanolint.workers.limits: the ``worker_memory:`` check and value (nothing is limited here)."""

import pytest

from theanolint.workers.limits import AUTO_FLOOR, MINIMUM, check_worker_memory, physical_memory, worker_memory


@pytest.mark.parametrize(
    "value", ["auto", "off", False, MINIMUM, MINIMUM + 1, "2GB", "2 GB", "1.9GiB", "8GiB", "1TB", 2**50]
)
def test_usable_values(value):
    assert check_worker_memory(value) is None


@pytest.mark.parametrize("value", [0, 1, MINIMUM - 1, "1GB", "1999999999B", "1.8GiB", "512 MiB", "0B"])
def test_values_below_what_a_worker_needs(value):
    assert check_worker_memory(value) == (f"{value!r} is below 2 GB, what a worker needs before it runs any builder")


def test_minimum_is_2_gb():
    assert MINIMUM == 2 * 10**9
    assert check_worker_memory("1.9GiB") is None  # 2.04e9 bytes
    assert check_worker_memory("1.8GiB") is not None  # 1.93e9 bytes


def test_worker_memory_in_bytes():
    assert worker_memory("off") is None
    assert worker_memory(False) is None
    assert worker_memory("8GiB") == 8 * 2**30
    assert worker_memory(3 * 10**9) == 3 * 10**9
    auto = worker_memory("auto")
    assert auto >= AUTO_FLOOR
    assert auto == max(AUTO_FLOOR, physical_memory() // 2)


def test_physical_memory_is_positive():
    assert physical_memory() > 0
