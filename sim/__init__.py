"""astana-sim: an agent-based simulation of multilateral peace negotiations."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("astana-sim")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
