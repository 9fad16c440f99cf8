"""Shared fixtures for the station tests: the SEE-1 interior, built and loaded once."""

from __future__ import annotations

import pytest

from see1previs.station import Station, build_see1, load_station


@pytest.fixture(scope="session")
def see1() -> Station:
    """SEE-1 as the application sees it: loaded from the committed asset files."""
    return load_station("see1")


@pytest.fixture(scope="session")
def see1_built() -> Station:
    """SEE-1 built in memory by the generator."""
    return build_see1()
