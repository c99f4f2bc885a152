"""What reading a register file gives: each row's change to the register, the open entries
it leaves out, its problems, and the people it told the uploader something of."""

from dataclasses import dataclass, field

from core import tabular
from core.tabular import Problem
from partnerships import uploads
from s117.models import RegisterEntry
from s117.register_file.columns import COLUMNS


@dataclass(frozen=True)
class EntryChange:
    row: int
    reference: str
    values: dict
    before: dict | None  # None: a new entry

    @property
    def kind(self) -> str:
        if self.before is None:
            return "new"
        return (
            "unchanged" if all(self.before[k] == v for k, v in self.values.items()) else "changed"
        )

    @property
    def changed_fields(self) -> list[str]:
        if self.before is None:
            return []
        return [k for k, v in self.values.items() if self.before[k] != v]


@dataclass
class RegisterFile:
    changes: list[EntryChange] = field(default_factory=list)
    not_listed: list[str] = field(default_factory=list)  # open entries the file leaves out
    problems: list[Problem] = field(default_factory=list)
    # People on the register whose records the file was compared with, or whom a problem
    # names: reading the file tells the uploader something of each (docs/access.md).
    looked_at: dict[str, RegisterEntry] = field(default_factory=dict)
    as_read: list[tuple[str, ...]] = field(default_factory=list)  # with read_register(keep=)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def as_csv(self) -> bytes:
        """The rows as read, as a CSV file that reads back to the same rows (numbered the
        same: a file with a blank row among its rows has problems, and is not kept)."""
        return tabular.write_csv(COLUMNS, self.as_read)

    def fingerprint(self) -> str:
        """What a preview of this file shows, as a SHA-256: the same file checked against
        the same register gives the same one, and a change to anyone it changes, or to
        whether it changes them, gives another."""
        return uploads.fingerprint(
            [(c.reference, c.values, c.before) for c in self.changes if c.kind != "unchanged"]
        )
