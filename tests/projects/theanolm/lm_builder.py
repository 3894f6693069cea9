"""A small TheanoLM 1.3.2 network with a sampling-based (NCE) softmax output.

The network and its training function are built through TheanoLM's own
classes, as ``theanolm train`` does: vocabulary, architecture, network,
NCE cost and SGD optimizer (whose constructor calls ``theano.function``).
"""
import io

import numpy
import theano

import theanolint

ARCHITECTURE = (
    "input type=class name=class_input\n"
    "layer type=projection name=projection_layer input=class_input size=8\n"
    "layer type=lstm name=hidden_layer input=projection_layer size=8\n"
    "layer type=softmax name=output_layer input=hidden_layer\n"
)


# TheanoLM's update function takes word and class ids one step longer than the
# mask and weights (it predicts ids[1:] from ids[:-1]); its test values do not
# agree with each other, so the shapes are declared.
SHAPES = {
    "optimizer/batch_word_ids": ("steps", "batch"),
    "optimizer/batch_class_ids": ("steps", "batch"),
    "network/mask": ("seq_len", "batch"),
    "optimizer/weights": ("seq_len", "batch"),
}


@theanolint.register(name="theanolm.nce", shapes=SHAPES)
def nce():
    from theanolm import Architecture, Network, Vocabulary
    from theanolm.training import NCECost, create_optimizer

    vocabulary = Vocabulary.from_word_counts({"a": 5, "b": 4, "c": 3, "d": 2, "e": 1, "f": 1})
    architecture = Architecture.from_description(io.StringIO(ARCHITECTURE))
    # default_device=None: theanolm.backend.get_default_device() reads the
    # context's unique_id, which pygpu does not support on OpenCL.
    network = Network(architecture, vocabulary, vocabulary.get_class_probs(),
                      default_device=None)
    network.set_sampling("unigram", 0.5, None)
    cost = NCECost(network, None, None, None, 1e-6)
    options = {
        "method": "sgd",
        "epsilon": 1e-6,
        "gradient_decay_rate": 0.9,
        "sqr_gradient_decay_rate": 0.999,
        "learning_rate": 0.1,
        "weights": numpy.ones(1, dtype=theano.config.floatX),
        "momentum": 0.9,
        "max_gradient_norm": 5.0,
        "num_noise_samples": 3,
        "noise_sharing": None,
    }
    return create_optimizer(options, network, cost, profile=False)
