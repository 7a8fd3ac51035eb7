"""``python -m sim``: the same commands as ``astana-sim``."""

import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the program is still starting: nothing was done yet
    sys.exit(130)

main()
