"""Live sources: feeds, web pages and Telegram channels followed by ``sitrep watch``, and their health.

- :mod:`~sitrep.sources.config`: the sources file (TOML) and its :class:`Source` entries;
- :mod:`~sitrep.sources.fetch`: polite HTTP (conditional requests, retries, per-host delay);
- :mod:`~sitrep.sources.items`: readers turning a feed, page or channel into :class:`Item` values;
- :mod:`~sitrep.sources.watch`: the :class:`Watcher`, which polls and ingests;
- :mod:`~sitrep.sources.state`: what the watcher remembers, in the store's database;
- :mod:`~sitrep.sources.health`: each source's health and alerts.
"""

from typing import TYPE_CHECKING

from sitrep.lazy import lazy_exports

if TYPE_CHECKING:
    from sitrep.sources.config import (
        KINDS,
        Settings,
        Source,
        SourcesFile,
        add_source,
        load_sources,
        make_source,
        remove_source,
        resolve_sources_path,
    )
    from sitrep.sources.health import SourceStatus, check_sources, sources_status
    from sitrep.sources.items import Item
    from sitrep.sources.state import WatchState
    from sitrep.sources.watch import PollResult, Watcher

__getattr__ = lazy_exports(__name__, {
    **dict.fromkeys(("KINDS", "Settings", "Source", "SourcesFile", "add_source", "load_sources", "make_source",
                     "remove_source", "resolve_sources_path"), "config"),
    **dict.fromkeys(("SourceStatus", "check_sources", "sources_status"), "health"),
    "Item": "items",
    "WatchState": "state",
    "PollResult": "watch",
    "Watcher": "watch",
})

__all__ = [
    "KINDS",
    "Item",
    "PollResult",
    "Settings",
    "Source",
    "SourceStatus",
    "SourcesFile",
    "WatchState",
    "Watcher",
    "add_source",
    "check_sources",
    "load_sources",
    "make_source",
    "remove_source",
    "resolve_sources_path",
    "sources_status",
]
