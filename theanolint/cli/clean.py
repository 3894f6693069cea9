"""``theanolint clean``: remove the result cache."""

import argparse
import os
import sys

from theanolint.cache import results as resultcache
from theanolint.cli.options import EXIT_CLEAN, EXIT_ERROR, load_config
from theanolint.workers import runner


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    folder = runner.cache_dir(config, True)
    assert folder is not None  # cache_dir gives a folder when enabled
    if os.path.isdir(folder) and not resultcache.clean(folder):
        print(f"theanolint: error: {folder} is not a theanolint cache; left alone", file=sys.stderr)
        return EXIT_ERROR
    print(f"theanolint: removed the cache {folder}", file=sys.stderr)
    return EXIT_CLEAN
