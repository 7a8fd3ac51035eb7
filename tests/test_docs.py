"""The Python examples in the docs run as written (from the repository's root)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def python_blocks(page: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "docs" / page).read_text(), flags=re.S)


@pytest.mark.parametrize("page", ["experiments.md"])
def test_the_examples_run(page, capsys):
    blocks = python_blocks(page)
    assert blocks
    namespace: dict = {}
    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        for block in blocks:  # later blocks build on earlier ones, as a reader's session would
            exec(compile(block, f"docs/{page}", "exec"), namespace)
    finally:
        os.chdir(previous)
    assert "Riyadh I agrees on the transition" in capsys.readouterr().out


def test_the_experiment_script_compares_scenarios(capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "outcome_frequencies", ROOT / "experiments" / "outcome_frequencies.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    code = module.main(
        [
            str(ROOT / "scenarios" / "astana_2017.yaml"),
            str(ROOT / "scenarios" / "counterfactuals" / "moscow_platform_flexible.yaml"),
            "--seeds",
            "8",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "moscow_platform_flexible: the largest changes" in out
    assert "riyadh_1" in out
