"""Every evidence entry of the flagship is dated, so a held-out test can keep to older sources."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sim.scenario import load_scenario
from sim.scenario.schema import Evidence

FLAGSHIP = Path(__file__).resolve().parent.parent / "scenarios" / "astana_2017.yaml"
EARLIEST = dt.date(2010, 1, 1)
LATEST = dt.date(2018, 2, 1)  # the record ends with the Sochi congress of 30 January 2018

# Entries whose source could not be dated, as (owner, field); a shock's field is the start of
# its source. The reason for each is also a comment next to the entry in the YAML.
UNDATED = {
    # Published in January 2017 (before Astana 1 or during it), day not found.
    ("turkey", "positions.terrorist_list"),  # Odisha TV (Xinhua)
    ("turkey", "positions.us_role"),  # TRT World 13104507
    ("iran", "reservation"),  # TRT World 13104507
    ("iran", "concession_rate"),  # Vestnik Kavkaza
    ("iran", "salience.constitution"),  # Vestnik Kavkaza
    ("iran", "salience.foreign_forces"),  # Vestnik Kavkaza
    ("iran", "positions.transition"),  # Financial Tribune
    ("iran", "positions.terrorist_list"),  # Financial Tribune
    ("iran", "salience.transition"),  # Financial Tribune
    ("iran", "salience.terrorist_list"),  # Financial Tribune
    ("armed_opposition", "concession_rate"),  # El Fagr
    ("armed_opposition", "positions.ceasefire"),  # El Fagr
    ("armed_opposition", "positions.terrorist_list"),  # El Fagr
    # A demand made during Geneva VIII (28 Nov - 14 Dec 2017), day not found.
    ("government", "salience.transition"),
    # Jamil's Moscow press conference after Sochi, seemingly 2 Feb 2018, after the record.
    ("moscow_platform", "salience.constitution"),
    ("moscow_platform", "salience.us_role"),
    ("moscow_platform", "salience.ceasefire"),  # judgement resting on it
    ("moscow_platform", "salience.humanitarian"),  # judgement resting on it
    # The Kazakh embassy page carries no date; the judgements resting on it neither.
    ("kazakhstan", "reservation"),
    ("kazakhstan", "positions.transition"),
    ("kazakhstan", "positions.constitution"),
    ("kazakhstan", "positions.foreign_forces"),
    ("kazakhstan", "positions.us_role"),
    ("kazakhstan", "salience.transition"),
    ("kazakhstan", "salience.constitution"),
    ("kazakhstan", "salience.foreign_forces"),
    ("kazakhstan", "concession_rate"),
    ("kazakhstan", "positions.terrorist_list"),
    ("kazakhstan", "salience.terrorist_list"),
    # Judgements resting on an absence over the whole record: no dated fact.
    ("iran", "salience.humanitarian"),
    ("moscow_platform", "positions.humanitarian"),
    ("jordan", "positions.transition"),
    ("jordan", "positions.constitution"),
    ("saudi_arabia", "reservation"),
    # Reports on Hijab's resignation of 20 Nov 2017, day of publication not found.
    ("shock:hnc_restructuring", "egypttoday.com/Article/1/33526"),
    ("shock:hnc_restructuring", "en.zamanalwsl.net/news/article/31209"),
}


def _evidence() -> list[tuple[tuple[str, str], Evidence]]:
    """Every evidence entry with its (owner, field); a shock's field is its source."""
    scenario = load_scenario(FLAGSHIP).scenario
    entries = [((a.id, field), e) for a in scenario.actors for field, e in a.sources.items()]
    for shock in scenario.shocks:
        entries += [((f"shock:{shock.id}", e.source), e) for e in shock.sources]
    return entries


def test_every_entry_is_dated_or_allow_listed() -> None:
    entries = _evidence()
    assert len(entries) > 200  # the flagship's actors and shocks, not a stray file
    undated = [key for key, e in entries if e.date is None]
    assert sorted(set(undated) - UNDATED) == [], "evidence without a date and not in UNDATED"
    assert sorted(UNDATED - set(undated)) == [], "UNDATED names entries that are dated or gone"


def test_dates_lie_within_the_record() -> None:
    out_of_range = [
        (key, e.date)
        for key, e in _evidence()
        if e.date is not None and not EARLIEST <= e.date <= LATEST
    ]
    assert out_of_range == []
