"""When a person's next s117 review is due: the partnership's interval after the last
review, or sooner where one of their packages in force has its own review date first.
Pure: the action that records a review, and its form's hint, both ask here."""

import datetime

from partnerships.standing import months_later


def next_review_due(reviewed_on: datetime.date, months: int, packages=()) -> datetime.date:
    """The next review after one on `reviewed_on`: `months` later, or the earliest own
    review date after it of a package running then (with no end, or ending after it)."""
    due = months_later(reviewed_on, months)
    for package in packages:
        runs = package.end_date is None or package.end_date > reviewed_on
        if runs and package.review_due and reviewed_on < package.review_due < due:
            due = package.review_due
    return due
