"""Helpers for tests that go through the product's pages as a user does."""

import re


def held_token(response) -> str:
    """The token a preview page's confirm form carries for the checked file it holds."""
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "the page holds no checked file to confirm"
    return match.group(1)
