"""The agreement (scrutiny report): its legal basis and partners, its host, the functions
it covers, its terms with the decisions that authorised them, and who governs it."""

from django.utils import timezone

from core.formatting import long_date
from partnerships.selectors import active_governance_bodies, partners_of, terms_of
from partnerships.standing import agreement_standing, is_extended
from reports.papers.blocks import Block, Para
from reports.papers.context import PaperContext
from reports.papers.section import PaperSection
from reports.papers.sections.legal import LEGAL_BASIS


def figures(paper: PaperContext) -> list[Block]:
    agreement = paper.agreement
    partners = paper.once("partners", lambda: partners_of(agreement))
    hosts_first = sorted(partners, key=lambda partner: not partner.is_host)
    host = next((p for p in hosts_first if p.is_host), None)
    blocks = [
        Para(
            f"The {agreement.title} is made under {LEGAL_BASIS[agreement.legal_basis]}, between "
            + " and ".join(p.organisation.name for p in hosts_first)
            + (f". {host.organisation.name} hosts it" if host else "")
            + (" and its pooled fund" if agreement.pooled_fund and host else "")
            + "."
        )
    ]
    if agreement.functions:
        blocks.append(Para(f"It covers {agreement.functions.rstrip('.')}."))
    terms = terms_of(agreement)
    for term in terms:
        decision = term.authorised_by
        authorised = (
            f", authorised by {decision.body} on {long_date(decision.decided_on)}"
            if decision
            else ""
        )
        option = getattr(term, "option", None)
        blocks.append(
            Para(
                f"{term.get_kind_display()}: {long_date(term.start_date)} to "
                f"{long_date(term.end_date)}{authorised}"
                + (f"; {option.text}" if option is not None else "")
                + "."
            )
        )
    blocks.append(standing_para(paper, terms))
    bodies = active_governance_bodies(agreement)
    if bodies:
        blocks.append(
            Para("It is governed by the " + " and the ".join(body.name for body in bodies) + ".")
        )
    return blocks


def standing_para(paper: PaperContext, terms) -> Para:
    """Where the agreement stands on the day the paper is prepared, said as every page says
    it (partnerships.standing): a published paper keeps what was true when it was made."""
    today = timezone.localdate()
    standing = agreement_standing(
        paper.agreement, today, extended=is_extended(paper.agreement, terms)
    )
    text = standing.text[0].lower() + standing.text[1:]
    return Para(f"Its standing on {long_date(today)}, when this report was prepared: {text}.")


SECTION = PaperSection("agreement", "The agreement", figures=figures)
