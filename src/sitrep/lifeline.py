"""Worker processes that die with their parent.

A worker forked by ``sitrep extract --workers N`` must not outlive the command:
when the parent is killed (``kill -9`` included, which runs no clean-up), the
workers would otherwise go on extracting for nobody. :func:`die_with_parent`,
called first thing in a worker, asks Linux to send the worker SIGKILL when its
parent dies (``prctl(PR_SET_PDEATHSIG)``) and, on any system, starts a daemon
thread that ends the worker once its parent process is gone.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_SECONDS = 1.0


def die_with_parent() -> None:
    """Make this process end when its parent does."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
                log.debug("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())
        except (OSError, AttributeError) as e:
            log.debug("prctl unavailable: %s", e)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="sitrep-lifeline", daemon=True).start()


def _watch(parent: int) -> None:
    event = threading.Event()
    while not event.wait(POLL_SECONDS):
        if os.getppid() != parent:  # re-parented: the parent is gone
            os._exit(1)
