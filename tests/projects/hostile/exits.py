"""Calls sys.exit(3) while building."""
import sys

import theanolint


@theanolint.register(name="exits")
def exits():
    sys.exit(3)  # planted: TL001
