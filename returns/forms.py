"""The quarterly return as a form: one field per figure, checked by the same section code
as a file (returns.sections), so the form and an upload can't disagree.

Each field is named by what its figure is (section, item and measure: the KPI's code, the
team's name), never by its place in the form. A KPI or team added or removed between the
form being shown and posted can't put a value onto another figure: a figure that is new
is blank (nothing recorded), and a value posted for one the return no longer holds is
refused, naming it, with nothing saved.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from returns.models import ReturnSchedule
from returns.sections import Change, Figure, Kind, Refused

PREFIX = "figure"
SEPARATOR = ":"
WIDTHS = {Kind.MONEY: 10, Kind.COUNT: 5, Kind.NUMBER: 5, Kind.PERCENT: 4, Kind.DATE: 10}


def field_name(figure: Figure) -> str:
    return SEPARATOR.join((PREFIX, figure.section, figure.item, figure.measure))


def _named_in(name: str) -> str:
    """A posted field's figure, for saying which one is gone: "KPI 9 value"."""
    _, section, rest = name.split(SEPARATOR, 2)
    item, _, measure = rest.rpartition(SEPARATOR)
    return f"{section} {item} {measure.replace('_', ' ')}"


def _field(figure: Figure) -> forms.Field:
    if figure.kind == Kind.CHOICE:
        widget = forms.Select(choices=[("", "Not recorded"), *figure.choices])
        widget.attrs["class"] = "govuk-select"
    elif figure.kind == Kind.NOTE:
        widget = forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3})
    else:
        width = WIDTHS[figure.kind]
        attrs = {"class": f"govuk-input govuk-input--width-{width}"}
        if figure.kind in Kind.NUMERIC:
            attrs["inputmode"] = "decimal"
        widget = forms.TextInput(attrs=attrs | {"spellcheck": "false"})
    return forms.CharField(required=False, label=figure.label, widget=widget, strip=True)


@dataclass
class FieldRow:
    """One figure as the form shows it: its field, last quarter's value and any error."""

    field: forms.BoundField
    figure: Figure
    id: str
    previous: str

    @property
    def prefix(self) -> str:
        return "£" if self.figure.kind == Kind.MONEY else ""

    @property
    def suffix(self) -> str:
        return "%" if self.figure.kind == Kind.PERCENT else ""


class ReturnForm(forms.Form):
    def __init__(self, lookups, *, previous: dict, data=None, section: str | None = None):
        """`lookups` is the quarter's return (returns.file.Lookups); `previous` holds last
        quarter's figures by key, shown beside each field. With `section`, the form is that
        section's alone (a page of the task list), and may be saved with no figure."""
        super().__init__(data)
        self.lookups, self.previous, self.section = lookups, previous, section
        self.figures: dict[str, Figure] = {}
        self.ids: dict[str, str] = {}
        shown = lookups.section(section).form_figures() if section else lookups.figures()
        for figure in shown:
            name = field_name(figure)
            self.figures[name] = figure
            self.fields[name] = _field(figure)
            self.initial[name] = figure.text
            self.ids[name] = self._unique_id(figure)
            self.fields[name].widget.attrs["id"] = self.ids[name]
        self.changes: list[Change] = []

    def _unique_id(self, figure: Figure) -> str:
        base = "f-" + slugify(f"{figure.section} {figure.item} {figure.measure}")
        taken = set(self.ids.values())
        found, n = base, 1
        while found in taken:
            n += 1
            found = f"{base}-{n}"
        return found

    def clean(self):
        mine = PREFIX + SEPARATOR + (f"{self.section}{SEPARATOR}" if self.section else "")
        gone = [
            _named_in(name)
            for name, value in self.data.items()
            if name.startswith(mine) and name not in self.figures and value.strip()
        ]
        if gone:
            raise ValidationError(
                "The return's figures changed after this form was opened: "
                f"{', '.join(gone)} {'is' if len(gone) == 1 else 'are'} no longer part of it. "
                "Nothing was saved: check the figures below, then check them again."
            )
        self.changes = self._changes()
        if not self.changes and not self.errors and self.section is None:
            raise ValidationError("Enter at least one figure.")
        return self.cleaned_data

    def _changes(self) -> list[Change]:
        """Each figure entered, read by its section; a blank field records nothing."""
        changes, names = [], {}
        for name, figure in self.figures.items():
            text = self.cleaned_data.get(name, "")
            if text == "":
                continue
            section = self.lookups.section(figure.section)
            try:
                value = section.read(figure, text)
            except Refused as refused:
                self.add_error(name, f"{figure.label}: {refused.expected}")
                continue
            change = Change(
                None, figure.section, figure.item, figure.measure, value, figure.value, figure
            )
            changes.append(change)
            names[id(change)] = name
        for section in self.lookups.sections.values():
            for change, expected in section.check_together(changes):
                self.add_error(names[id(change)], f"{change.label}: {expected}")
        return changes

    def problems(self) -> list[tuple[str, str]]:
        """The error summary: (the id to link to, the message), in the form's order."""
        found = [("", message) for message in self.non_field_errors()]
        for name in self.figures:
            found += [(self.ids[name], message) for message in self.errors.get(name, [])]
        return found

    def sections(self) -> list[tuple[str, list[FieldRow]]]:
        """The form's fields under their sections' headings, ready to show."""
        rows: dict[str, list[FieldRow]] = {name: [] for name in self.lookups.sections}
        for name, figure in self.figures.items():
            before = self.previous.get(figure.key)
            previous = figure.shown(before.value) if before else figure.shown(None)
            rows[figure.section].append(self._row(name, figure, previous))
        return [
            (section.title, rows[section.name])
            for section in self.lookups.sections.values()
            if rows[section.name]
        ]

    def _row(self, name: str, figure: Figure, previous: str) -> FieldRow:
        field_id = self.ids[name]
        attrs = self.fields[name].widget.attrs
        described = [f"{field_id}-hint"]
        if name in self.errors:
            described.append(f"{field_id}-error")
            base = attrs["class"].split()[0]
            attrs["class"] = f"{attrs['class']} {base}--error"
        attrs["aria-describedby"] = " ".join(described)
        return FieldRow(self[name], figure, field_id, previous)


class ReturnScheduleForm(forms.ModelForm):
    class Meta:
        model = ReturnSchedule
        fields = ["return_working_days", "sign_off_working_days"]
        labels = {
            "return_working_days": "Working days after the quarter ends for the return",
            "sign_off_working_days": "Working days after the return is due for sign-off",
        }
        error_messages = {
            "return_working_days": {
                "required": "Enter the number of working days after the quarter ends",
            },
            "sign_off_working_days": {
                "required": "Enter the number of working days for sign-off",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.error_messages["invalid"] = "Enter a whole number of working days"
            field.widget = forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-input--width-3",
                    "inputmode": "numeric",
                    "spellcheck": "false",
                    "aria-describedby": f"id_{name}-hint",
                }
            )

    def _post_clean(self):
        # Error classes and descriptions go on the widgets once the errors are known.
        super()._post_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] += " govuk-input--error"
                attrs["aria-describedby"] += f" id_{name}-error"

    def clean(self):
        cleaned = super().clean()
        for name, low in (("return_working_days", 1), ("sign_off_working_days", 0)):
            value = cleaned.get(name)
            if value is not None and not (low <= value <= 130):
                self.add_error(name, f"Enter a whole number of working days from {low} to 130")
        return cleaned


class SectionStateForm(forms.Form):
    """What the person entering a section says of it, GOV.UK's "Have you completed this
    section?" with a third answer for a quarter with nothing to report."""

    state = forms.ChoiceField(
        label="Have you completed this section?",
        choices=[
            ("completed", "Yes, I've completed this section"),
            ("in_progress", "No, I'll come back to it later"),
            ("nothing", "There is nothing to report in this section this quarter"),
        ],
        error_messages={"required": "Say whether you have completed this section"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
