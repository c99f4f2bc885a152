from django.db import transaction

from s117.models import AccessLog, RegisterEntry


@transaction.atomic
def record_access(*, by, entry: RegisterEntry, action: str, path: str = "") -> AccessLog:
    """Write who opened which person's record, before the record is shown."""
    return AccessLog.objects.create(user=by, entry=entry, action=action, path=path[:300])
