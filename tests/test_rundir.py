"""A run directory appears whole or not at all, and an earlier run is never clobbered."""

from __future__ import annotations

import os

import pytest

from sim.output import RunDirExists, fresh_run_path, write_run_dir


def test_files_are_written(tmp_path):
    target = write_run_dir(tmp_path / "run", {"a.txt": b"A", "b.txt": b"B"})
    assert sorted(p.name for p in target.iterdir()) == ["a.txt", "b.txt"]


def test_a_crash_midway_leaves_nothing_behind(tmp_path, monkeypatch):
    calls = {"n": 0}
    real_fsync = os.fsync

    def failing_fsync(fd):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_run_dir(tmp_path / "run", {"a.txt": b"A", "b.txt": b"B"})
    assert list(tmp_path.iterdir()) == []


def test_an_existing_run_is_kept_unless_replacing_is_asked(tmp_path):
    write_run_dir(tmp_path / "run", {"a.txt": b"old"})
    with pytest.raises(RunDirExists):
        write_run_dir(tmp_path / "run", {"a.txt": b"new"})
    assert (tmp_path / "run" / "a.txt").read_bytes() == b"old"


def test_a_failed_replacement_keeps_the_old_run(tmp_path, monkeypatch):
    write_run_dir(tmp_path / "run", {"summary.json": b"old"})
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError("boom")))
    with pytest.raises(OSError):
        write_run_dir(tmp_path / "run", {"summary.json": b"new"}, replace=True)
    assert (tmp_path / "run" / "summary.json").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_replacing_swaps_the_whole_directory(tmp_path):
    write_run_dir(tmp_path / "run", {"summary.json": b"old", "history.png": b"x"})
    write_run_dir(tmp_path / "run", {"summary.json": b"new"}, replace=True)
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["summary.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_only_a_run_directory_is_ever_replaced(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "thesis.tex").write_text("months of work")
    with pytest.raises(RunDirExists, match="not a run directory"):
        write_run_dir(tmp_path / "notes", {"summary.json": b"{}"}, replace=True)
    assert (tmp_path / "notes" / "thesis.tex").read_text() == "months of work"


def test_fresh_names_never_reuse_an_existing_run(tmp_path):
    first = fresh_run_path(tmp_path, "astana 2017", 7)
    assert first.name == "astana_2017_seed7"
    first.mkdir()
    assert fresh_run_path(tmp_path, "astana 2017", 7).name == "astana_2017_seed7_2"
