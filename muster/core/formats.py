"""One style for dates and numbers wherever people read them: pages, PDFs, spreadsheets and the
pages' CSV downloads. Dates are day-first (dd/mm/yyyy) in both languages; numbers group
thousands with a point and use a decimal comma ("1.234.567", "12,5"), as Vietnamese staff
write them. Machine formats (the API, the CLI's `--format csv`) keep ISO dates and plain
numbers and do not come here.

The template filters of the same names are in `core/templatetags/muster_formats.py`; Django's
own localisation (`{{ day }}` without a filter, form inputs) reads the `DJANGO_*` patterns
through `muster/web/formats/`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
# The same patterns in Django's date-format letters and in Excel's number formats.
DJANGO_DATE_FORMAT = "d/m/Y"
DJANGO_DATETIME_FORMAT = "d/m/Y H:i"
DJANGO_DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]  # an <input type=date> posts ISO
XLSX_DATE_FORMAT = "dd/mm/yyyy"
XLSX_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
THOUSANDS_SEPARATOR = "."
DECIMAL_SEPARATOR = ","
NUMBER_GROUPING = 3

# An ISO date, with the time and zone of a moment when there is one.
_ISO_DATE = re.compile(
    r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)(Z|[+-][0-9]{2}:?[0-9]{2})?)?(?![0-9])"
)


def local_datetime(moment: datetime) -> datetime:
    """An aware moment in the site's time zone (naive moments are taken as local already)."""
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def date_text(day: date | None) -> str:
    """05/03/2026; a datetime shows its local day; None is ""."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = local_datetime(day)
    return day.strftime(DATE_FORMAT)


def datetime_text(moment: datetime | None) -> str:
    """05/03/2026 14:07 in the site's time zone; None is ""."""
    if moment is None:
        return ""
    return local_datetime(moment).strftime(DATETIME_FORMAT)


def time_text(moment: time | datetime | None) -> str:
    """14:07 (24-hour); a datetime shows its local time; None is ""."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = local_datetime(moment)
    return moment.strftime(TIME_FORMAT)


def long_date_text(day: date) -> str:
    """The date as a statutory document writes it after the place ("ngày 05 tháng 03 năm
    2026"; 05/03/2026 in English) — Decree 30/2020/NĐ-CP, Appendix I, item 5."""
    return _("%(day)s/%(month)s/%(year)s") % {
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
    }


def _grouped(digits: str) -> str:
    head = len(digits) % NUMBER_GROUPING or NUMBER_GROUPING
    groups = [digits[:head]] + [
        digits[i : i + NUMBER_GROUPING] for i in range(head, len(digits), NUMBER_GROUPING)
    ]
    return THOUSANDS_SEPARATOR.join(groups)


def number_text(value: int | float | Decimal | None, places: int = 0) -> str:
    """1.234.567; with `places` decimals, 1.234,5 (rounded half up). None is ""."""
    if value is None:
        return ""
    exact = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _dot, fraction = f"{abs(rounded):f}".partition(".")
    text = sign + _grouped(whole)
    return f"{text}{DECIMAL_SEPARATOR}{fraction}" if places > 0 else text


def percent_text(ratio: float | Decimal | None, places: int = 1) -> str:
    """A ratio as a percentage: 0.125 → 12,5%. None is ""."""
    if ratio is None:
        return ""
    return f"{number_text(Decimal(str(ratio)) * 100, places)}%"


def _iso_as_text(found: re.Match[str]) -> str:
    if found[4] is None:
        return f"{found[3]}/{found[2]}/{found[1]}"
    try:
        moment = datetime.fromisoformat(found[0].replace("Z", "+00:00"))
    except ValueError:
        return found[0]
    return datetime_text(moment)


def iso_dates_as_text(text: str) -> str:
    """Free text (a message, a record's details) with every ISO date written dd/mm/yyyy and
    every ISO moment dd/mm/yyyy HH:MM in the site's time zone."""
    return _ISO_DATE.sub(_iso_as_text, text)
