"""``python -m sim``: the same commands as ``astana-sim``."""

from .cli import main

main()
