"""Commissioners' pages for the agreement's KPIs: the list, adding one, changing one."""

from copy import copy

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from partnerships.dashboard import section_context
from partnerships.permissions import partnership_view
from records.actions.kpis import add_kpi as add_kpi_action
from records.actions.kpis import change_kpi as change_kpi_action
from records.forms.kpis import KPIForm
from records.selectors.kpis import kpi_changes, kpi_of, kpis_of, target_text, threshold_text


def _crumbs(agreement, *, to_list: bool) -> list[tuple[str, str]]:
    crumbs = [("KPIs", reverse("kpis", args=[agreement.slug]))]
    if to_list:
        crumbs.append(("Keep the KPIs", reverse("records_kpis", args=[agreement.slug])))
    return crumbs


FIELDS = ("code", "name", "definition", "unit", "direction", "target", "amber_threshold")


@partnership_view("keep_kpis")
def kpi_list(request, agreement):
    rows = [
        {"kpi": kpi, "target": target_text(kpi), "threshold": threshold_text(kpi)}
        for kpi in kpis_of(agreement)
    ]
    context = section_context(request, agreement, "kpis", None) | {
        "rows": rows,
        "crumbs": _crumbs(agreement, to_list=False),
    }
    return render(request, "records/kpis_list.html", context)


@partnership_view("keep_kpis")
def add_kpi(request, agreement):
    form = KPIForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        kpi = add_kpi_action(
            by=request.user, agreement=agreement, **{f: form.cleaned_data[f] for f in FIELDS}
        )
        messages.success(request, f"Added {kpi.code} {kpi.name}.")
        return redirect("records_kpis", agreement.slug)
    context = section_context(request, agreement, "kpis", None) | {
        "form": form,
        "kpi": None,
        "crumbs": _crumbs(agreement, to_list=True),
    }
    return render(request, "records/kpis_form.html", context)


@partnership_view("keep_kpis")
def change_kpi(request, agreement, kpi_id):
    kpi = kpi_of(agreement, kpi_id)
    # The form is given a copy: validating a ModelForm writes the input into its instance,
    # and the page's heading and the change's "before" are the KPI as it is saved.
    form = KPIForm(request.POST or None, agreement=agreement, instance=copy(kpi))
    if request.method == "POST" and form.is_valid():
        kpi = change_kpi_action(
            by=request.user, kpi=kpi, **{f: form.cleaned_data[f] for f in FIELDS}
        )
        messages.success(request, f"Saved {kpi.code} {kpi.name}.")
        return redirect("records_kpis", agreement.slug)
    context = section_context(request, agreement, "kpis", None) | {
        "form": form,
        "kpi": kpi,
        "changes": kpi_changes(kpi),
        "crumbs": _crumbs(agreement, to_list=True),
    }
    return render(request, "records/kpis_form.html", context)
