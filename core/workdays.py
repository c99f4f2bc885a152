"""Working days in England and Wales: Monday to Friday, bank holidays excepted.

Bank holidays come from the `holidays` package (its United Kingdom calendar for England,
which Wales shares), which works them out for any year, substitute days and one-off
holidays such as 19 September 2022 included, without fetching anything when the service
runs.
"""

import datetime
from functools import lru_cache

import holidays

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[datetime.date]:
    """England and Wales bank holidays in a calendar year."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The `count`th working day after `day` (`day` itself if count is 0): 10 working days
    after Friday 31 March 2023 is Tuesday 18 April 2023, Good Friday and Easter Monday
    being bank holidays."""
    if count < 0:
        raise ValueError(f"Count working days forwards, not {count}.")
    while count:
        day += ONE_DAY
        if is_working_day(day):
            count -= 1
    return day
