"""Small helpers for the words the console and the summaries print."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 point``, ``2 points``: the count and the noun in agreement.

    ``plural_form`` is for nouns whose plural is not the singular and an ``s`` (``match``,
    ``matches``). Console and summary text says ``1 shock``, never ``1 shocks``.
    """
    noun = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {noun}"


def points(distance: float) -> str:
    """``1 point``, ``12 points``: a distance on the 0-100 scale, rounded as it is printed."""
    return plural(int(round(distance)), "point")


def past(value: float, bound: float) -> str:
    """A value printed beside the bound it crosses (the bound printed with ``:g``), with the
    decimals that show it does: 60.4 beside "at most 60", where rounding alone would print 60
    against 60."""
    for decimals in range(4):
        shown = f"{value:.{decimals}f}"
        if float(shown) != bound and (float(shown) < bound) == (value < bound):
            return shown
    return f"{value:g}"
