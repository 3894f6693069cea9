import sys

from theanolint.cli import main

sys.exit(main())
