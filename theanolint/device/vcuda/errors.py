"""Errors of the virtual CUDA device, in one place so that every module (and
every caller) raises and catches the same classes and message."""

#: Why nothing compiled for the virtual device can run; the C stubs fail every
#: kernel launch with this same text.
NO_KERNELS_MESSAGE = "theanolint virtual CUDA device: kernels cannot run (analysis only)"


class VirtualDeviceError(RuntimeError):
    """The virtual CUDA device cannot be built or used."""


class VirtualKernelLaunchError(VirtualDeviceError):
    """A function compiled for the virtual device tried to run a kernel."""
