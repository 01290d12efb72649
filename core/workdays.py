"""Calendar and working days, with China's official holidays and make-up working days (调休).

The holiday data comes from the `chinesecalendar` package, which follows the State Council's
yearly notices (国务院办公厅关于…部分节假日安排的通知). Its data ends at a known year
(`LAST_YEAR`): a day after it is counted as Monday to Friday only, and `beyond_data` says so, so
the office can be warned that the period must be checked against the next notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar import constants as _holiday_data

CALENDAR = "calendar"
WORKING = "working"

LAST_YEAR: int = max(day.year for day in (*_holiday_data.holidays, *_holiday_data.workdays))


def beyond_data(day: dt.date) -> bool:
    """Whether the holiday data says nothing about `day` (its year is after the last notice)."""
    return day.year > LAST_YEAR


def is_working_day(day: dt.date) -> bool:
    """A working day by the official calendar: weekdays except holidays, plus make-up Saturdays and
    Sundays. Beyond the data, Monday to Friday."""
    if beyond_data(day) or day.year < 2004:
        return day.weekday() < 5
    return chinese_calendar.is_workday(day)


@dataclass(frozen=True)
class Period:
    """A period as counted: first and last day (both included), its length and how it was counted."""

    starts_on: dt.date
    ends_on: dt.date
    length: int
    day_count: str
    beyond_data: bool

    @property
    def calendar_days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


def period(starts_on: dt.date, length: int, day_count: str = CALENDAR) -> Period:
    """The period of `length` days starting on `starts_on`, both ends included.

    In working days a period starting on a day off starts on the next working day; the end is the
    `length`-th working day. A length below 1 counts as 1.
    """
    length = max(int(length), 1)
    if day_count != WORKING:
        ends_on = starts_on + dt.timedelta(days=length - 1)
        return Period(starts_on, ends_on, length, CALENDAR, beyond_data(ends_on))
    day = starts_on
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    first = day
    counted = 1
    while counted < length:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return Period(first, day, length, WORKING, beyond_data(day))


def working_days_between(first: dt.date, last: dt.date) -> int:
    """How many working days from `first` to `last`, both included."""
    days = (last - first).days + 1
    return sum(1 for n in range(max(days, 0)) if is_working_day(first + dt.timedelta(days=n)))


def working_day_before(day: dt.date, count: int) -> dt.date:
    """The `count`-th working day before `day` (not counting `day` itself)."""
    counted = 0
    while counted < max(int(count), 1):
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
