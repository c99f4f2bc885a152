"""Running the checks: for one partnership's quarter (its pages), or for many at once
(home), each flag with the explanation a commissioner may have recorded for it."""

from dataclasses import replace
from functools import reduce
from operator import or_

from django.db.models import Q

from dashboards.models import FlagExplanation, QualitySettings
from dashboards.quality.registry import CHECKS, Flag, Scope, Scopes
from partnerships.permissions import can


def settings_for(agreement) -> QualitySettings:
    """The partnership's thresholds, or the defaults (unsaved) if it has set none."""
    return QualitySettings.objects.filter(agreement=agreement).first() or QualitySettings(
        agreement=agreement
    )


def flags_for(user, agreement, quarter, *, sections: set[str] | None = None) -> list[Flag]:
    """Every check's flags for the quarter that `user` may see (of the checks reading
    `sections`' figures, or of all), each with its explanation if one was recorded."""
    found = flags_for_many(
        [(agreement, quarter)],
        may_see=lambda needs, agreement_id: can(user, needs, agreement),
        sections=sections,
    )
    return found[agreement.pk]


def flags_for_many(pairs, *, may_see, sections: set[str] | None = None) -> dict[int, list[Flag]]:
    """Flags for each (agreement, quarter) pair, by agreement id, in a fixed number of
    queries however many pairs there are: `may_see(needs, agreement_id)` says which checks
    run where. Checks are skipped where nobody may see them, so they cost nothing there."""
    pairs = [(agreement, quarter) for agreement, quarter in pairs if quarter is not None]
    flags: dict[int, list[Flag]] = {agreement.pk: [] for agreement, _ in pairs}
    checks = [c for c in CHECKS if sections is None or c.section in sections]
    wanted = {check.code: [a for a, _ in pairs if may_see(check.needs, a.pk)] for check in checks}
    if not any(wanted.values()):
        return flags
    saved = {s.agreement_id: s for s in QualitySettings.objects.filter(agreement__in=list(flags))}
    scopes = {
        agreement.pk: Scope(agreement, quarter, saved.get(agreement.pk, QualitySettings()))
        for agreement, quarter in pairs
    }
    memo: dict = {}
    for check in checks:
        if wanted[check.code]:
            for flag in check.find(Scopes([scopes[a.pk] for a in wanted[check.code]], memo)):
                flags[flag.agreement_id].append(flag)
    return _explained(flags, scopes)


def _explained(flags: dict[int, list[Flag]], scopes: dict[int, Scope]) -> dict[int, list[Flag]]:
    flagged = list(flags)
    explanations = {
        (e.agreement_id, e.check_code, e.key): e
        for e in FlagExplanation.objects.filter(
            reduce(or_, (Q(agreement=pk, quarter=scopes[pk].quarter) for pk in flagged))
        ).select_related("explained_by")
    }
    return {
        pk: [replace(f, explanation=explanations.get((pk, f.check, f.key))) for f in found]
        for pk, found in flags.items()
    }
