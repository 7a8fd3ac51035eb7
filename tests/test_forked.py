"""Work in a forked child (sim/output/forked.py): the same bytes as doing it here, whatever
happens to the child, and no child left behind.

The suite's process may hold threads of earlier tests (tqdm's monitor, say), where ``can_fork``
refuses; the tests of the child's work allow the fork there (``forking``): their jobs take no
lock another thread could hold.
"""

from __future__ import annotations

import os
import signal
import threading

import pytest

from sim.model import simulate
from sim.output import forked as forked_module
from sim.output import run_files
from sim.output.forked import Forked, can_fork, fork_helps
from sim.scenario import load_scenario

needs_fork = pytest.mark.skipif(not fork_helps(), reason="no fork here, or a single CPU")


@pytest.fixture
def forking(monkeypatch):
    """A fork allowed even beside the suite's leftover threads (see the module's docstring)."""
    monkeypatch.setattr(forked_module, "can_fork", fork_helps)


@pytest.fixture(scope="module")
def mini():
    from conftest import DATA

    return load_scenario(DATA / "mini.yaml").scenario


@needs_fork
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_run_drawn_in_parallel_writes_the_same_bytes_as_one_drawn_here(
    mini, forking, monkeypatch
):
    children = []
    start = Forked._start
    monkeypatch.setattr(Forked, "_start", lambda self: (start(self), children.append(self.pid)))
    log = simulate(mini)
    assert run_files(log, mini, parallel=True) == run_files(log, mini, parallel=False)
    assert len(children) == 1 and children[0] is not None


@needs_fork
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_the_childs_bytes_come_back_whole(forking):
    parent = os.getpid()
    big = bytes(range(256)) * 40_000  # larger than a pipe's buffer

    def job() -> bytes:
        return big if os.getpid() != parent else b"done here"

    with Forked(job) as forked:
        assert forked.pid is not None
        assert forked.result() == big


@needs_fork
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_child_that_fails_or_dies_leaves_the_work_to_this_process(forking):
    parent = os.getpid()

    def dies() -> bytes:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return b"done here"

    def fails() -> bytes:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        return b"done here"

    for job in (dies, fails):
        with Forked(job) as forked:
            assert forked.result() == b"done here"


def test_an_error_of_the_work_is_raised_here():
    def job() -> bytes:
        raise ValueError("bad figure")

    with Forked(job) as forked, pytest.raises(ValueError, match="bad figure"):
        forked.result()


@needs_fork
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_leaving_without_the_result_stops_and_reaps_the_child(forking):
    def job() -> bytes:
        threading.Event().wait(60)
        return b""

    with Forked(job) as forked:
        pid = forked.pid
        assert pid is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
        assert Forked(lambda: b"x").pid is None
    finally:
        stop.set()
        thread.join()
