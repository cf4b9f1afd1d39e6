from __future__ import annotations

import pytest

from muster.accounts.tests.factories import World, build_world


@pytest.fixture
def world(db) -> World:
    """Province 99: area 1 (communes 99001, 99002) and area 2 (commune 99003), a commune
    command each (valid from 2025-07-01)."""
    return build_world()
