"""The quarterly return's pages, by what they do; `returns.urls` addresses them."""

from returns.views.entry import enter_return, enter_section
from returns.views.pages import (
    check_return,
    quarterly_return,
    return_history,
    return_schedule,
    return_template,
    returns,
)
from returns.views.status import change_return_status, explain_flag, sign_off
from returns.views.upload import cancel_return, confirm_return, upload_return

__all__ = [
    "cancel_return",
    "change_return_status",
    "check_return",
    "confirm_return",
    "enter_return",
    "enter_section",
    "explain_flag",
    "quarterly_return",
    "return_history",
    "return_schedule",
    "return_template",
    "returns",
    "sign_off",
    "upload_return",
]
