from django.conf import settings
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    JMG_MEMBER = "jmg_member", "JMG member"
    COMMISSIONER = "commissioner", "Commissioner"
    SCRUTINY_OFFICER = "scrutiny_officer", "Scrutiny officer"
    S117_OFFICER = "s117_officer", "s117 register officer"


class Membership(models.Model):
    """Which user holds which role in which partnership. The only source of access."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["agreement", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agreement", "role"], name="membership_role_once"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agreement}"
