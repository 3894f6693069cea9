"""A small Theano model project used to demonstrate and test theanolint."""
