from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def mini_path() -> Path:
    return DATA / "mini.yaml"


@pytest.fixture
def mini_text(mini_path: Path) -> str:
    """The fixture's text without its ``history:`` line, to be written anywhere on its own."""
    text = mini_path.read_text(encoding="utf-8")
    return "".join(line for line in text.splitlines(True) if not line.startswith("history:"))
