"""The target device: choosing it (command-line side), starting it (worker side), the virtual CUDA device."""
