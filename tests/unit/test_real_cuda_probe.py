"""theanolint.device.target.real_cuda_usable: the driver probe (a subprocess) runs
once per machine state, not on every invocation."""

from theanolint.device import target


class Probe:
    """A stand-in for the vcuda module's probe, counting its calls."""

    def __init__(self, answer):
        self.answer, self.calls = answer, 0

    def real_cuda_usable(self):
        self.calls += 1
        return self.answer


def test_the_answer_is_kept_until_the_machine_state_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("THEANOLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/a")
    probe = Probe(False)
    assert [target.real_cuda_usable(probe) for _ in range(3)] == [False, False, False]
    assert probe.calls == 1
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/b")  # another library search path: probe again
    probe.answer = True
    assert target.real_cuda_usable(probe) is True
    assert target.real_cuda_usable(probe) is True and probe.calls == 2


def test_a_corrupt_record_is_probed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("THEANOLINT_CACHE_DIR", str(tmp_path))
    (tmp_path / "real-cuda.json").write_text("{not json")
    probe = Probe(True)
    assert target.real_cuda_usable(probe) is True and probe.calls == 1
    assert target.real_cuda_usable(probe) is True and probe.calls == 1


def test_without_a_boot_id_every_call_probes(tmp_path, monkeypatch):
    monkeypatch.setenv("THEANOLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(target, "_machine_state", lambda: "")
    probe = Probe(False)
    target.real_cuda_usable(probe), target.real_cuda_usable(probe)
    assert probe.calls == 2
