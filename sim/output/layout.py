"""Placing text in figures by arithmetic: wrapped labels and labels pushed apart.

Matplotlib's constrained layout would do this by measuring, but it costs more than a whole
simulation; these helpers place text from character counts and point sizes instead, which is
cheap, deterministic and good enough for the sans-serif font the figures use.
"""

from __future__ import annotations

import textwrap

import numpy as np

# Mean advance of a DejaVu Sans character, in ems (measured over mixed-case English text).
CHAR_EM = 0.58
LINE_SPACING = 1.2  # matplotlib's default line height, in ems


def wrap(text: str, chars: int) -> str:
    """``text`` broken at spaces into lines of at most ``chars`` characters; never cut.

    A single word longer than ``chars`` stays whole on its own line.
    """
    return "\n".join(textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False))


def chars_in(width_inches: float, size_pt: float) -> int:
    """How many characters of ``size_pt`` text fit in ``width_inches``."""
    return max(8, int(width_inches * 72 / (size_pt * CHAR_EM)))


def lines_height(lines: int, size_pt: float) -> float:
    """The height in inches of ``lines`` lines of ``size_pt`` text."""
    return lines * size_pt * LINE_SPACING / 72


def spread(targets: np.ndarray, sizes: np.ndarray, low: float, high: float) -> np.ndarray:
    """Label centres as near ``targets`` as they can be without overlapping.

    Label ``k`` is ``sizes[k]`` long (same units as ``targets``); the labels keep the order of
    their targets and stay within [``low``, ``high``] when they fit there. Labels sorted by
    target are pushed up past their lower neighbour, then, if the top one left the range,
    pushed back down past their upper neighbour, then every block of touching labels is
    centred on its targets' mean as far as the range allows (the classic direct-label
    algorithm in one dimension).
    """
    targets = np.asarray(targets, dtype=float)
    sizes = np.asarray(sizes, dtype=float)
    order = np.argsort(targets, kind="stable")
    t, s = targets[order], sizes[order]
    n = len(t)
    if n == 0:
        return targets.copy()
    # Blocks of touching labels, merged until none overlaps the next: each block sits centred
    # on its members' targets, which is the least-squares placement of a rigid block.
    blocks = [[k] for k in range(n)]
    while True:
        starts = [_block_start(b, t, s, low, high) for b in blocks]
        merged = False
        for k in range(len(blocks) - 1):
            end = starts[k] + s[blocks[k]].sum()
            if end > starts[k + 1] + 1e-9:
                blocks[k : k + 2] = [blocks[k] + blocks[k + 1]]
                merged = True
                break
        if not merged:
            break
    placed = np.empty(n)
    for block, start in zip(blocks, starts, strict=True):
        edges = start + np.concatenate([[0.0], np.cumsum(s[block])])
        placed[block] = (edges[:-1] + edges[1:]) / 2
    out = np.empty(n)
    out[order] = placed
    return out


def _block_start(block: list[int], t: np.ndarray, s: np.ndarray, low: float, high: float):
    """Where a rigid block of labels starts when centred on its targets, kept in range."""
    sizes = s[block]
    offsets = np.concatenate([[0.0], np.cumsum(sizes)])[:-1] + sizes / 2
    start = float(np.mean(t[block] - offsets))
    total = float(sizes.sum())
    if total <= high - low:
        start = min(max(start, low), high - total)
    else:
        start = low - (total - (high - low)) / 2  # too many to fit: centred, overflowing
    return start
