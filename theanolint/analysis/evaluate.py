"""Run, on the host, the functions a builder calls while it builds.

Real builders evaluate while they build: Keras creates every weight with
``Variable.eval()`` of a random initializer, other builders compute a state or
a statistic with a function they just made.  Those calls must give the right
values on every target, also on the virtual CUDA device, where GPU kernels
cannot launch.  So they are compiled with a mode that leaves out Theano's
gpuarray optimizations (GPU shared variables reach the graph through plain
copies), once per function, and run for real.
"""

from typing import Dict, List

import theano

# Names of the host functions compiled in this process (for --verbose).
compiled: List[str] = []


def host_mode(mode):
    """``mode`` without the optimizations that move work to the GPU."""
    mode = theano.compile.mode.get_mode(mode)
    try:
        return mode.excluding("gpuarray")
    except AttributeError:  # a mode without an optimizer query (optimizer=None)
        return mode


def compile_on_host(real_orig_function, record, cache: Dict):
    """The real Theano function for ``record``, compiled for the host, once."""
    key = id(record)
    if key not in cache:
        cache[key] = (
            record,
            real_orig_function(
                record.inputs,
                record.outputs,
                host_mode(record.mode),
                record.accept_inplace,
                record.name,
                record.profile,
                record.on_unused_input,
                record.output_keys,
            ),
        )
        compiled.append(record.name or "<unnamed>")
    return cache[key][1]
