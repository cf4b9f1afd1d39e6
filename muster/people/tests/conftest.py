from __future__ import annotations

import pytest

from muster.people.tests.factories import World, make_world


@pytest.fixture
def world(db) -> World:
    return make_world()
