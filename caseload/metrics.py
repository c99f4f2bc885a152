"""Staffing and caseload measures, as pure functions of counts and WTE."""

from decimal import ROUND_HALF_UP, Decimal


def caseload_per_wte(open_cases: int, case_holding_wte: Decimal) -> Decimal:
    """Average open cases per whole-time-equivalent case-holding worker."""
    if open_cases < 0:
        raise ValueError(f"A caseload can't be negative (got {open_cases}).")
    if case_holding_wte <= 0:
        raise ValueError("There is no case-holding WTE to divide the caseload between.")
    return Decimal(open_cases) / case_holding_wte


def vacancy_rate(vacant: Decimal, establishment: Decimal) -> Decimal:
    """Vacant posts (or WTE) as a fraction of the whole establishment."""
    if vacant < 0 or establishment < 0:
        raise ValueError("Posts and WTE can't be negative.")
    if vacant > establishment:
        raise ValueError(f"{vacant} vacancies can't exceed an establishment of {establishment}.")
    if establishment == 0:
        raise ValueError("A vacancy rate needs at least one post.")
    return Decimal(vacant) / Decimal(establishment)


def rounded(value: Decimal, places: int = 0) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
