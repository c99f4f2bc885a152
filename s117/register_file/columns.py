"""What a register file holds: its columns, which of them must be filled, which are dates
(and which of those can't be in the future), which are typed text, and how much a file, a
name and a reason may hold (docs/import-formats.md)."""

from core import tabular

COLUMNS = (
    "person_reference",
    "nhs_number",
    "full_name",
    "date_of_birth",
    "qualifying_section",
    "detained_on",
    "discharged_on",
    "responsible_council",
    "responsible_icb",
    "team",
    "council_share_percent",
    "review_due",
    "last_reviewed",
    "cto_in_force",
    "primary_support_reason",
    "ended_on",
    "end_agreed_by_council_on",
    "end_agreed_by_icb_on",
    "end_reason",
)
# Added to the format after registers were kept in it: a file without them still reads.
OPTIONAL = ("primary_support_reason",)
REQUIRED = (
    "person_reference",
    "qualifying_section",
    "detained_on",
    "responsible_council",
    "responsible_icb",
)
DATES = (
    "date_of_birth",
    "detained_on",
    "discharged_on",
    "review_due",
    "last_reviewed",
    "ended_on",
    "end_agreed_by_council_on",
    "end_agreed_by_icb_on",
)
PAST_DATES = (
    "date_of_birth",
    "detained_on",
    "discharged_on",
    "last_reviewed",
    "ended_on",
    "end_agreed_by_council_on",
    "end_agreed_by_icb_on",
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
TEXT = ("full_name", "end_reason")  # typed text, kept as typed
MAX_ROWS = 300_000
MAX_NAME = 200
MAX_REASON = 2000
# The most a register file may hold, read by `import_s117`. A register of MAX_ROWS people
# is about 45 MB as CSV; as XLSX it unpacks to about 500 MB, which openpyxl takes minutes
# to read. The upload page reads smaller files (s117.views.PAGE_LIMITS).
LIMITS = tabular.Limits(
    max_rows=MAX_ROWS, max_bytes=100 * 1024 * 1024, max_unpacked_bytes=600 * 1024 * 1024
)
# The columns that name a row of another table, and the register entry's field that holds
# its id: a row compares with what is stored by those ids.
FIELD_OF = {
    "responsible_council": "responsible_council_id",
    "responsible_icb": "responsible_icb_id",
    "team": "team_id",
}
