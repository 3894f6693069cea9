"""The layers, importable from ``layerkit.layers`` as from ``lasagne.layers``."""

from .base import Layer, MergeLayer
from .conv import Conv2DLayer
from .dense import DenseLayer
from .embedding import EmbeddingLayer
from .helper import get_all_layers, get_all_params, get_output
from .input import InputLayer
from .merge import ConcatLayer, ReshapeLayer
from .noise import DropoutLayer, dropout
from .normalization import BatchNormLayer, NonlinearityLayer, batch_norm
from .pool import MaxPool2DLayer
from .recurrent import CustomRecurrentLayer, Gate, LSTMLayer, RecurrentLayer

__all__ = [
    "BatchNormLayer", "ConcatLayer", "Conv2DLayer", "CustomRecurrentLayer", "DenseLayer", "DropoutLayer",
    "EmbeddingLayer", "Gate", "InputLayer", "LSTMLayer", "Layer", "MaxPool2DLayer", "MergeLayer",
    "NonlinearityLayer", "RecurrentLayer", "ReshapeLayer", "batch_norm", "dropout", "get_all_layers",
    "get_all_params", "get_output",
]  # fmt: skip
