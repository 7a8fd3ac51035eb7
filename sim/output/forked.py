"""One piece of work done in a forked child process while this process does the rest.

``astana-sim run`` draws two figures, and drawing the larger one (positions.png) costs about as
much as everything else the command does after simulating; on a machine with two cores the
child draws it while this process writes the tables and draws the other figure. The child
only computes bytes and sends them back through a pipe: every file is still written by this
process, through the run directory's atomic write.

A fork copies this process as it is, so a child is started only where that is safe and useful:
``os.fork`` exists and is not macOS's (whose system libraries may not survive a fork), this
process runs no other thread (a lock held by another thread would stay held in the child), and
more than one CPU is available. Otherwise, and whenever the child fails in any way, the work is
done here, so that the result is the same and any error is raised here, with its traceback.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import NoReturn

LENGTH_BYTES = 8  # the child sends the length of its result first: a short read is a failure


def can_fork() -> bool:
    """Whether a forked child may do work here (see the module's docstring)."""
    return fork_helps() and threading.active_count() == 1


def fork_helps() -> bool:
    """Whether this system forks safely and has a second CPU for the child."""
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) > 1
    return (os.cpu_count() or 1) > 1


class Forked:
    """``job()``'s bytes, computed by a forked child from when this is made until ``result``.

    Use it as a context manager: leaving the block (by an exception too) stops and reaps a
    child whose result was not taken.
    """

    def __init__(self, job: Callable[[], bytes], fork: bool = True) -> None:
        self.job = job
        self.pid: int | None = None
        self.pipe: int | None = None
        if fork and can_fork():
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no memory or too many processes: the work is done here instead
            os.close(read)
            os.close(write)
            return
        if pid == 0:
            os.close(read)
            gc.disable()  # a collection would touch, so copy, the pages shared with the parent
            _child(self.job, write)
        os.close(write)
        self.pid, self.pipe = pid, read

    def result(self) -> bytes:
        """The job's bytes: the child's if it succeeded, else the job run here."""
        if self.pid is None:
            return self.job()
        with os.fdopen(self.pipe, "rb") as pipe:
            self.pipe = None
            sent = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        size = int.from_bytes(sent[:LENGTH_BYTES], "big")
        if os.waitstatus_to_exitcode(status) == 0 and len(sent) == LENGTH_BYTES + size:
            return sent[LENGTH_BYTES:]
        return self.job()

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None


def _child(job: Callable[[], bytes], write: int) -> NoReturn:
    """Run ``job`` and send its bytes; never return (``os._exit``: no cleanup of the parent's)."""
    code = 1
    try:
        data = job()
        with os.fdopen(write, "wb") as pipe:
            pipe.write(len(data).to_bytes(LENGTH_BYTES, "big"))
            pipe.write(data)
        code = 0
    except BaseException:  # noqa: BLE001 - the parent does the work again and raises
        pass
    finally:
        os._exit(code)
