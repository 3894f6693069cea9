"""Memory prediction on the optimized graph (worker side)."""
