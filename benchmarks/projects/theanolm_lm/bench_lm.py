"""A TheanoLM 1.3.2 LSTM language model with a full softmax output, trained with SGD.

Built through TheanoLM's own classes, as ``theanolm train`` does (see
tests/projects/theanolm/lm_builder.py): a vocabulary of 5000 made-up words,
projection and LSTM layers of 200 units, the exact cross-entropy cost (not NCE)
and the SGD optimizer, whose constructor calls ``theano.function``.
"""

import io

import numpy
import theano

import theanolint

WORDS = 5000
SIZE = 200

ARCHITECTURE = (
    "input type=class name=class_input\n"
    f"layer type=projection name=projection_layer input=class_input size={SIZE}\n"
    f"layer type=lstm name=hidden_layer input=projection_layer size={SIZE}\n"
    "layer type=softmax name=output_layer input=hidden_layer\n"
)

# The update function takes word and class ids one step longer than the mask and
# the weights (it predicts ids[1:] from ids[:-1]).
SHAPES = {
    "optimizer/batch_word_ids": ("steps", "batch"),
    "optimizer/batch_class_ids": ("steps", "batch"),
    "network/mask": ("seq_len", "batch"),
    "optimizer/weights": ("seq_len", "batch"),
}


@theanolint.register(name="theanolm.lm", shapes=SHAPES)
def lm():
    from theanolm import Architecture, Network, Vocabulary
    from theanolm.training import CrossEntropyCost, create_optimizer

    counts = {f"word{index}": WORDS - index for index in range(WORDS)}
    vocabulary = Vocabulary.from_word_counts(counts)
    architecture = Architecture.from_description(io.StringIO(ARCHITECTURE))
    # default_device=None: theanolm.backend.get_default_device() reads the
    # context's unique_id, which pygpu does not support on OpenCL.
    network = Network(architecture, vocabulary, vocabulary.get_class_probs(), default_device=None)
    cost = CrossEntropyCost(network, None, None, None, 1e-6)
    options = {
        "method": "sgd",
        "epsilon": 1e-6,
        "gradient_decay_rate": 0.9,
        "sqr_gradient_decay_rate": 0.999,
        "learning_rate": 0.1,
        "weights": numpy.ones(1, dtype=theano.config.floatX),
        "momentum": 0.9,
        "max_gradient_norm": 5.0,
        "num_noise_samples": 1,
        "noise_sharing": None,
    }
    return create_optimizer(options, network, cost, profile=False)
