"""The registry of rules, their selection by the config, and the helpers rule modules use."""
