"""The runs of a store as CSV (stdlib) or Parquet (pandas and pyarrow: the ``parquet`` extra)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..output import write_file_atomically
from .store import Store


def export_csv(store: Store, path: Path) -> Path:
    """Every column of ``runs``, one row per run, in (point, replicate) order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(store.columns())
    for row in store.rows():
        writer.writerow(["" if v is None else v for v in row.values()])
    return write_file_atomically(path, buffer.getvalue().encode())


def export_parquet(store: Store, path: Path) -> Path:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the installed extras
        from .analyze import AnalysisError

        raise AnalysisError(
            "Parquet export needs pandas and pyarrow: pip install 'astana-sim[parquet]'"
        ) from None
    frame = pd.DataFrame(list(store.rows()), columns=store.columns())
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return write_file_atomically(path, buffer.getvalue())
