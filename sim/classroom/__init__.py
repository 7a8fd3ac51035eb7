"""The classroom: what a teacher hands out or shows, built only from the files of a run directory.

``rundir_reader`` reads and checks a run directory into small frozen records; ``story`` and
``diff`` derive from them what happened and why (plain functions, no HTML); ``render`` writes the
handout and the diff as self-contained pages.
"""

from .rundir_reader import RunDir, RunDirError, read_run_dir

__all__ = ["RunDir", "RunDirError", "read_run_dir"]
