"""Working days by China's official holiday calendar, checked against the State Council's notices.

国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号):
  春节 2月10日至17日放假调休，共8天；2月4日（星期日）、2月18日（星期日）上班。
  国庆节 10月1日至7日放假调休，共7天；9月29日（星期日）、10月12日（星期六）上班。
国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号):
  春节 1月28日（农历除夕）至2月4日放假调休，共8天；1月26日（星期日）、2月8日（星期六）上班。
  国庆节、中秋节 10月1日至8日放假调休，共8天；9月28日（星期日）、10月11日（星期六）上班。
"""

import datetime as dt

import pytest

from core import workdays

D = dt.date


@pytest.mark.parametrize(
    "day",
    [
        D(2024, 2, 4),  # Sunday before the 2024 Spring Festival
        D(2024, 2, 18),  # Sunday after it
        D(2024, 9, 29),  # Sunday before National Day 2024
        D(2024, 10, 12),  # the make-up Saturday after it
        D(2025, 1, 26),  # Sunday before the 2025 Spring Festival
        D(2025, 2, 8),  # the make-up Saturday after it
        D(2025, 9, 28),  # Sunday before National Day and Mid-Autumn 2025
        D(2025, 10, 11),  # the make-up Saturday after them
    ],
)
def test_make_up_weekend_days_are_working_days(day):
    assert day.weekday() >= 5 and workdays.is_working_day(day)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (D(2024, 2, 10), D(2024, 2, 17)),
        (D(2024, 10, 1), D(2024, 10, 7)),
        (D(2025, 1, 28), D(2025, 2, 4)),
        (D(2025, 10, 1), D(2025, 10, 8)),
    ],
)
def test_the_holiday_weeks_are_days_off(first, last):
    assert workdays.working_days_between(first, last) == 0
    assert workdays.is_working_day(first - dt.timedelta(days=1)) or (first - dt.timedelta(days=1)).weekday() >= 5


def test_five_working_days_across_the_2025_spring_festival():
    # Fri 24 Jan, Sun 26 Jan (make-up), Mon 27 Jan, then the holiday; Wed 5 and Thu 6 Feb.
    period = workdays.period(D(2025, 1, 24), 5, workdays.WORKING)
    assert (period.starts_on, period.ends_on) == (D(2025, 1, 24), D(2025, 2, 6))
    assert period.calendar_days == 14 and not period.beyond_data


def test_five_working_days_across_national_day_2025_end_on_the_make_up_saturday():
    period = workdays.period(D(2025, 9, 29), 5, workdays.WORKING)
    assert period.ends_on == D(2025, 10, 11)


def test_a_working_day_period_starting_in_the_2024_spring_festival_starts_after_it():
    # The notice is posted on Tue 13 Feb, a day off: day 1 is Sun 18 Feb (make-up), day 5 Thu 22 Feb.
    period = workdays.period(D(2024, 2, 13), 5, workdays.WORKING)
    assert (period.starts_on, period.ends_on) == (D(2024, 2, 18), D(2024, 2, 22))


def test_ten_working_days_across_national_day_2024():
    # Mon 23 – Fri 27 Sep (5), Sun 29 Sep (6), Mon 30 Sep (7), holiday, Tue 8 – Thu 10 Oct (10).
    assert workdays.period(D(2024, 9, 23), 10, workdays.WORKING).ends_on == D(2024, 10, 10)
    assert workdays.working_days_between(D(2024, 9, 23), D(2024, 10, 12)) == 12


def test_calendar_days_count_every_day():
    period = workdays.period(D(2025, 1, 27), 7, workdays.CALENDAR)
    assert period.ends_on == D(2025, 2, 2) and period.day_count == workdays.CALENDAR


def test_beyond_the_holiday_data_only_weekdays_count_and_it_says_so():
    after = workdays.LAST_YEAR + 1
    start = D(after, 3, 2)
    period = workdays.period(start, 5, workdays.WORKING)
    assert period.beyond_data
    assert workdays.working_days_between(period.starts_on, period.ends_on) == 5
    assert all(
        (period.starts_on + dt.timedelta(days=n)).weekday() < 5
        or not workdays.is_working_day(period.starts_on + dt.timedelta(days=n))
        for n in range(period.calendar_days)
    )
    assert not workdays.period(D(workdays.LAST_YEAR, 3, 2), 5, workdays.WORKING).beyond_data
