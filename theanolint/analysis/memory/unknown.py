"""The one exception of shape evaluation: a shape or value known only when the graph runs."""


class Unknown(Exception):
    """``args[0]``, when given, says why (the op), for the memory report."""

    @property
    def why(self) -> str:
        return self.args[0] if self.args else "a shape Theano cannot compute before a run"
