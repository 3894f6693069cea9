"""Loss functions (lasagne/objectives.py)."""

import theano.tensor as T


def categorical_crossentropy(predictions, targets):
    return T.nnet.categorical_crossentropy(predictions, targets)


def squared_error(a, b):
    return (a - b) ** 2


def categorical_accuracy(predictions, targets, top_k=1):
    """As in Lasagne: an int8 vector (T.eq); its mean needs dtype=floatX."""
    if targets.ndim == predictions.ndim:
        targets = T.argmax(targets, axis=-1)
    return T.eq(T.argmax(predictions, axis=-1), targets)


def aggregate(loss, weights=None, mode="mean"):
    if weights is not None:
        loss = loss * weights
    if mode == "mean":
        return loss.mean()
    if mode == "sum":
        return loss.sum()
    raise ValueError(f"mode must be 'mean' or 'sum', got {mode!r}")
