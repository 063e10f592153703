from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from sitrep.gazetteer import Gazetteer, index

# the fuzzing suite (tests/test_fuzz.py): CI runs "ci", a fixed seed and bounded examples (under two minutes);
# HYPOTHESIS_PROFILE=long runs a longer randomised session
_FUZZ = {"deadline": None, "print_blob": True,
         "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]}
settings.register_profile("ci", max_examples=60, derandomize=True, **_FUZZ)  # type: ignore[arg-type]
settings.register_profile("long", max_examples=3000, **_FUZZ)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def gaz_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The compiled index, built once per test session into a temporary cache."""
    cache = tmp_path_factory.mktemp("cache")
    old = os.environ.get("SITREP_CACHE")
    os.environ["SITREP_CACHE"] = str(cache)
    index.save(index.compile_index(), index.default_path())
    yield index.default_path()
    if old is None:
        os.environ.pop("SITREP_CACHE", None)
    else:
        os.environ["SITREP_CACHE"] = old


@pytest.fixture(scope="session")
def gaz(gaz_path: Path) -> Gazetteer:
    return Gazetteer.open(gaz_path)
