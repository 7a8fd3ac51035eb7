"""The SQLite store of a sweep: one file, one row per run, committed as each run finishes.

Tables:

``meta``  key/value text: ``spec`` (the spec file as written), ``spec_json`` (validated),
          ``spec_hash`` (spec and resolved base scenarios), ``design`` (the points as JSON, in
          point order), ``factors``, ``version`` (astana-sim), ``created``.
``runs``  one row per (point, seed), the primary key: ``point``, ``replicate``, ``seed``,
          ``status`` (``done`` or ``failed``), ``error`` (the exception of a failed run),
          ``params`` (the point's values as JSON) and one ``p_<name>`` column per factor,
          ``m_<metric>`` flat columns of the summary metrics, and ``metrics`` (JSON: the summary
          and the per-round metrics, see ``sim.sweep.metrics``).

The journal is in WAL mode and every run is its own transaction, so a sweep killed at any moment
keeps every finished run; the primary key makes a second write of a run impossible, and a resumed
sweep retries only runs that are missing or failed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from .. import __version__
from .design import Point
from .metrics import METRICS
from .plan import Row
from .spec import LoadedSweep


class StoreError(Exception):
    """The store cannot be used as asked (exists without --resume, another spec, not a store)."""


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint, safe in WAL
    return connection


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Store:
    def __init__(self, path: Path, connection: sqlite3.Connection, factors: list[str]):
        self.path = path
        self.connection = connection
        self.factors = factors

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open_for(cls, path: str | Path, loaded: LoadedSweep, points: list[Point], resume: bool):
        """Create a store for a sweep, or reopen one (``resume``) written by the same spec."""
        path = Path(path)
        if path.exists():
            if not resume:
                raise StoreError(f"{path} exists already; pass --resume to continue that sweep")
            store = cls.open(path)
            if store.meta("spec_hash") != loaded.spec_hash:
                raise StoreError(
                    f"{path} holds another sweep (its spec or base scenario differs: stored "
                    f"hash {str(store.meta('spec_hash'))[:12]}, this spec "
                    f"{loaded.spec_hash[:12]}); use a new --store"
                )
            return store
        path.parent.mkdir(parents=True, exist_ok=True)
        # Built aside and renamed into place: a store exists whole (tables and meta) or not.
        fresh = path.with_name(f".{path.name}.{os.getpid()}.new")
        fresh.unlink(missing_ok=True)
        connection = sqlite3.connect(fresh, isolation_level=None)
        try:
            _create(connection, loaded, points)
        finally:
            connection.close()
        os.replace(fresh, path)
        return cls.open(path)

    @classmethod
    def open(cls, path: str | Path) -> Store:
        path = Path(path)
        if not path.is_file():
            raise StoreError(f"expected a sweep store (SQLite file); found no file {path}")
        try:
            connection = _connect(path)
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"expected a sweep store (SQLite file); {path}: {exc}") from None
        if not {"meta", "runs"} <= tables:
            raise StoreError(f"expected a sweep store with tables meta and runs; found {path}")
        factors = json.loads(
            connection.execute("SELECT value FROM meta WHERE key = 'factors'").fetchone()[0]
        )
        return cls(path, connection, factors)

    def transaction(self):
        return _Transaction(self.connection)

    # --- reading ---------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def points(self) -> list[Point]:
        return json.loads(self.meta("design") or "[]")

    def done(self) -> set[tuple[int, int]]:
        """(point, replicate) of the runs finished without error."""
        query = "SELECT point, replicate FROM runs WHERE status = 'done'"
        return {(p, r) for p, r in self.connection.execute(query)}

    def counts(self) -> dict[str, int]:
        query = "SELECT status, count(*) FROM runs GROUP BY status"
        return dict(self.connection.execute(query).fetchall())

    def columns(self) -> list[str]:
        return [r[1] for r in self.connection.execute("PRAGMA table_info(runs)")]

    def rows(self) -> Iterator[dict]:
        """Every run as a dict of its columns, in (point, replicate) order."""
        cursor = self.connection.execute("SELECT * FROM runs ORDER BY point, replicate")
        names = [d[0] for d in cursor.description]
        for values in cursor:
            yield dict(zip(names, values, strict=True))

    # --- writing ---------------------------------------------------------------------------

    def write(self, rows: Iterable[Row], points: list[Point]) -> int:
        """Store finished runs, one transaction each; a failed run may be replaced, not a done."""
        written = 0
        for row in rows:
            values = points[row.point]
            summary = (row.metrics or {}).get("summary", {})
            record = {
                "point": row.point,
                "replicate": row.replicate,
                "seed": row.seed,
                "status": row.status,
                "error": row.error,
                "params": json.dumps(values, sort_keys=True),
                **{f"p_{f}": _sql_value(values.get(f)) for f in self.factors},
                **{f"m_{m}": summary.get(m) for m in METRICS},
                "metrics": json.dumps(row.metrics, sort_keys=True) if row.metrics else None,
            }
            names = ", ".join(_quote(k) for k in record)
            marks = ", ".join("?" for _ in record)
            updates = ", ".join(f"{_quote(k)} = excluded.{_quote(k)}" for k in record)
            self.connection.execute(
                f"INSERT INTO runs ({names}) VALUES ({marks}) ON CONFLICT (point, seed) "
                f"DO UPDATE SET {updates} WHERE runs.status = 'failed'",
                list(record.values()),
            )
            written += 1
        return written

    def close(self) -> None:
        self.connection.close()


def _create(connection: sqlite3.Connection, loaded: LoadedSweep, points: list[Point]) -> None:
    spec = loaded.spec
    factors = spec.factors
    columns = [f"{_quote('p_' + f)}" for f in factors] + [_quote("m_" + m) for m in METRICS]
    meta = {
        "spec": loaded.text,
        "spec_json": spec.model_dump_json(),
        "spec_hash": loaded.spec_hash,
        "design": json.dumps(points),
        "factors": json.dumps(factors),
        "version": __version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    with _Transaction(connection):
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        connection.execute(
            "CREATE TABLE runs (point INTEGER NOT NULL, replicate INTEGER NOT NULL, "
            "seed INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('done', "
            "'failed')), error TEXT, params TEXT NOT NULL, "
            + "".join(f"{c}, " for c in columns)
            + "metrics TEXT, PRIMARY KEY (point, seed))"
        )


def _sql_value(value: object) -> object:
    """A factor's value as SQLite holds it: numbers and text as they are, others as JSON."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, str)) or value is None:
        return value
    return json.dumps(value)


class _Transaction:
    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __enter__(self):
        self.connection.execute("BEGIN IMMEDIATE")
        return self.connection

    def __exit__(self, kind, exc, tb):
        self.connection.execute("ROLLBACK" if kind else "COMMIT")
        return False
