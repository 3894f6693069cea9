"""Input shapes of a Keras model, for theanolint's memory prediction.

Keras names its placeholders by build order (``/dense_2_input``,
``/dense_3_target``), so the shapes are declared on the variables themselves.
"""
import theanolint


def declared(model, sample, target):
    """``model`` with its input, target and sample weights declared (``batch`` first)."""
    theanolint.declare_shape(model.inputs[0], ("batch",) + tuple(sample))
    theanolint.declare_shape(model.targets[0], ("batch",) + tuple(target))
    theanolint.declare_shape(model.sample_weights[0], ("batch",))
    return model
