"""core.formats: one style for dates and numbers, and the template filters over it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from muster.core import formats


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 3, 5), "05/03/2026"),
        (date(1900, 1, 1), "01/01/1900"),
        (None, ""),
        # A moment shows its day in Vietnam's time zone: 17:30 UTC is already the next day.
        (datetime(2026, 3, 5, 17, 30, tzinfo=UTC), "06/03/2026"),
    ],
)
def test_date_text(value: date | None, expected: str) -> None:
    assert formats.date_text(value) == expected


def test_datetime_text_is_local_and_day_first() -> None:
    assert formats.datetime_text(datetime(2026, 3, 5, 7, 4, tzinfo=UTC)) == "05/03/2026 14:04"
    assert formats.datetime_text(None) == ""
    assert formats.time_text(time(7, 30)) == "07:30"
    assert formats.time_text(datetime(2026, 3, 5, 7, 4, tzinfo=UTC)) == "14:04"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (1234567, 0, "1.234.567"),
        (-1234567, 0, "-1.234.567"),
        (1234.5, 1, "1.234,5"),
        (0.8734, 3, "0,873"),
        (2.25, 1, "2,3"),  # half up, not to even
        (Decimal("1234.5"), 0, "1.235"),
        (12.0, 2, "12,00"),
        (None, 0, ""),
    ],
)
def test_number_text(value: float | None, places: int, expected: str) -> None:
    assert formats.number_text(value, places) == expected


@pytest.mark.parametrize(
    ("ratio", "places", "expected"),
    [(0.125, 1, "12,5%"), (1, 0, "100%"), (12.3456, 1, "1.234,6%"), (None, 1, "")],
)
def test_percent_text(ratio: float | None, places: int, expected: str) -> None:
    assert formats.percent_text(ratio, places) == expected


def test_iso_moments_inside_text_are_local_and_day_first() -> None:
    text = "differs from the checkpoint of 2026-12-06T09:19:33+00:00; at 2026-12-06T01:02Z"
    assert formats.iso_dates_as_text(text) == (
        "differs from the checkpoint of 06/12/2026 16:19; at 06/12/2026 08:02"
    )


def test_iso_dates_inside_text_are_written_day_first() -> None:
    text = "died on 2026-03-05; key 99001>99002@2026-01-01; code 2025-07; id 079203001234"
    assert formats.iso_dates_as_text(text) == (
        "died on 05/03/2026; key 99001>99002@01/01/2026; code 2025-07; id 079203001234"
    )


def test_statutory_long_date_follows_the_language() -> None:
    with translation.override("vi"):
        assert formats.long_date_text(date(2026, 3, 5)) == "ngày 05 tháng 03 năm 2026"
    with translation.override("en"):
        assert formats.long_date_text(date(2026, 3, 5)) == "05/03/2026"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_filters_are_the_same_in_both_languages(language: str) -> None:
    template = Template(
        "{% load muster_formats %}{{ d|date_text }}|{{ t|datetime_text }}|{{ n|number_text }}|"
        "{{ x|number_text:1 }}|{{ r|percent_text }}|{{ d|iso_date }}|{{ s|dates_in_text }}|"
        "{{ missing|date_text }}{{ missing|number_text }}"
    )
    context = Context(
        {
            "d": date(2026, 3, 5),
            "t": datetime(2026, 3, 5, 1, 2, tzinfo=UTC),
            "n": 100000,
            "x": 1234.56,
            "r": 0.5,
            "s": "until 2027-06-30",
        }
    )
    with translation.override(language):
        assert template.render(context) == (
            "05/03/2026|05/03/2026 08:02|100.000|1.234,6|50,0%|2026-03-05|until 30/06/2027|"
        )
