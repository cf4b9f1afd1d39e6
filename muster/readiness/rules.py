"""Pure decisions behind the readiness figures: no ORM, no I/O."""

from __future__ import annotations

from datetime import date

# MSL Art. 30 (Law on Military Service 2015; Circular 148/2018 Art. 4(1)); domain-rules §0.1
# CALLUP_AGE: call-up age runs from the 18th birthday to the end of age 25, extended to the end
# of age 27 for college or university students deferred for study. The dashboard counts the
# widest band ("men 18–27") so nobody who can still be called up is left out.
CALLUP_AGE_FROM = 18
CALLUP_AGE_TO_EXTENDED = 27


def years_before(day: date, years: int) -> date:
    """`day` moved back `years` years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def military_age_birth_window(as_of: date) -> tuple[date, date]:
    """Birth dates (first, last; both inclusive) of people aged 18 to the end of 27 on `as_of`.

    Legal basis: MSL Art. 30 (CALLUP_AGE, extended limit for deferred students). A person is in
    the band from their 18th birthday (born on or before `as_of` − 18 years) until the day
    before their 28th birthday (born after `as_of` − 28 years).
    """
    last = years_before(as_of, CALLUP_AGE_FROM)
    first = date.fromordinal(years_before(as_of, CALLUP_AGE_TO_EXTENDED + 1).toordinal() + 1)
    return first, last


def density(people: int, area_km2: float | None) -> float | None:
    """People per km²; None when the area is unknown or not positive."""
    if area_km2 is None or area_km2 <= 0:
        return None
    return people / area_km2


def share(part: int, whole: int) -> float | None:
    """`part` as a share of `whole` (orders issued of the quota, militia of its target); None
    when there is no whole to measure against, rather than a misleading 0 % or a division by
    zero."""
    if whole <= 0:
        return None
    return part / whole
