"""Checked files waiting for their uploader to confirm them (`PendingUpload`).

An upload is checked and previewed; what the preview showed is saved only when its
uploader confirms it, from the same page, before it expires. Between the two the file is
held here, on the server, under a random token that the confirm form carries; it is
bound to the user, the partnership, the kind of file and the quarter, so a token is of no
use to anyone else. A file is held for as long as a signed-in session may stay idle.
"""

import datetime
import hashlib
import json
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partnerships.models import PendingUpload


def lifetime() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def fingerprint(changes: list) -> str:
    """SHA-256 of what a preview shows: each change with its value before and after, in
    order. The same file checked against the same figures gives the same fingerprint."""
    digest = hashlib.sha256()
    for change in changes:
        digest.update(json.dumps(change, default=str, sort_keys=True).encode())
        digest.update(b"\n")
    return digest.hexdigest()


@transaction.atomic
def hold(
    *,
    by,
    agreement,
    kind: str,
    file_name: str,
    content: bytes,
    checked: str,
    quarter=None,
    version: int | None = None,
) -> PendingUpload:
    """Keep a checked file for its uploader, in place of any they had waiting for the same
    partnership, kind and quarter. Expired files of anyone's go at the same time."""
    now = timezone.now()
    PendingUpload.objects.filter(expires_at__lte=now).delete()
    discard(by=by, agreement=agreement, kind=kind, quarter=quarter)
    return PendingUpload.objects.create(
        token=secrets.token_urlsafe(32),
        user=by,
        agreement=agreement,
        kind=kind,
        quarter=quarter,
        file_name=file_name[:255],
        content=content,
        checked=checked,
        version=version,
        created_at=now,
        expires_at=now + lifetime(),
    )


class NothingWaiting(Exception):
    """No checked file is held under the token: saved, cancelled, replaced or expired."""

    def __str__(self) -> str:
        return (
            "There is no checked file waiting to be saved: it was saved or cancelled, or it "
            f"was checked more than {int(lifetime().total_seconds() // 60)} minutes ago. "
            "Upload it again."
        )


def waiting(
    *, by, agreement, kind: str, token: str, quarter=None, for_update: bool = False
) -> PendingUpload | None:
    """The file held under `token` for this user, partnership, kind and quarter, if it
    hasn't expired; with `for_update`, locked until the transaction ends."""
    if not token:
        return None
    held = PendingUpload.objects.select_for_update() if for_update else PendingUpload.objects
    return (
        held.filter(
            token=token,
            user=by,
            agreement=agreement,
            kind=kind,
            quarter=quarter,
            expires_at__gt=timezone.now(),
        )
        .order_by()
        .first()
    )


def discard(*, by, agreement, kind: str, quarter=None) -> int:
    """Forget the user's waiting file of this kind for the partnership (and quarter)."""
    deleted, _ = PendingUpload.objects.filter(
        user=by, agreement=agreement, kind=kind, quarter=quarter
    ).delete()
    return deleted


def discard_all(*, by) -> int:
    """Forget every file the user has waiting: they have signed out."""
    deleted, _ = PendingUpload.objects.filter(user=by).delete()
    return deleted


def purge_expired(*, now: datetime.datetime | None = None) -> int:
    deleted, _ = PendingUpload.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def forget_at_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        discard_all(by=user)
