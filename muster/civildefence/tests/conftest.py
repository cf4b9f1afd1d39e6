from __future__ import annotations

import pytest

from muster.accounts.tests.factories import World, build_world
from muster.civildefence.tests.factories import shape_communes


@pytest.fixture
def world(db) -> World:
    """Province 99: communes 99001–99003 as 0.1° squares west to east, a commune command
    each (valid from 2025-07-01)."""
    found = build_world()
    shape_communes(found)
    return found
