from __future__ import annotations

import pytest

from muster.accounts.tests.factories import World, build_world


@pytest.fixture
def world(db) -> World:
    """Province 99: communes 99001, 99002 (area 1) and 99003 (area 2), a command each."""
    return build_world()
