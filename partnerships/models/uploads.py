from django.conf import settings
from django.db import models
from django.db.models import Q


class PendingUpload(models.Model):
    """A checked file waiting for the person who uploaded it to confirm it.

    Kept on the server, never in the session: a register file holds NHS numbers, names and
    dates of birth, and a session row is sent with every page and outlives its use. It is
    deleted when it is saved, cancelled or replaced, when its uploader signs out, and when
    it expires (`partnerships.uploads`), and `purge_expired` removes any left behind.
    """

    class Kind(models.TextChoices):
        RETURN = "return", "Quarterly return"
        S117_REGISTER = "s117_register", "s117 register"

    token = models.CharField(max_length=64, unique=True, help_text="Names it in the form.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    quarter = models.ForeignKey(
        "partnerships.Quarter", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    checked = models.CharField(
        max_length=64, help_text="SHA-256 of the changes the preview showed."
    )
    version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The return's version when the file was checked."
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["return", "s117_register"]), name="pending_upload_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="pending_upload_expires_after_it_is_made",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} waiting for {self.user}"
