"""Worker side only: capture, optimize and walk a function's graph, run the rules, predict memory."""
