"""What the data-quality tests share: the checks' flags for a user, by check."""

from dashboards.quality import flags_for


def found(user, agreement, quarter, check) -> list[str]:
    return [f.text for f in flags_for(user, agreement, quarter) if f.check == check]
