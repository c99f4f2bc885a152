"""When a person's next s117 review is due: the partnership's interval after the last
review, or sooner where one of their packages in force has its own review date first.
Pure: the actions that record a review, and that change a package's end or own review
date (s117.actions.reschedule_review), ask here."""

import datetime

from partnerships.standing import months_later


def next_review_due(reviewed_on: datetime.date, months: int, packages=()) -> datetime.date:
    """The next review after one on `reviewed_on`: `months` later, or the earliest own
    review date after it of a package still running on that date (with no end, or ending
    on it or later): a package that ends before its own review needs none."""
    due = months_later(reviewed_on, months)
    for package in packages:
        runs = package.end_date is None or (
            package.review_due is not None and package.end_date >= package.review_due
        )
        if runs and package.review_due and reviewed_on < package.review_due < due:
            due = package.review_due
    return due
