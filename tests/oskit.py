"""Running a child process that file permissions apply to, even when the tests run as root."""

from __future__ import annotations

import os


def bound_by_permissions() -> list[str]:
    """A command prefix that runs a child without the capabilities that let root ignore file permissions
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), using util-linux's setpriv (on every Debian system); empty when
    the tests run as an ordinary user, whom permissions bind already."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
