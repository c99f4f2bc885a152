import django_tables2 as tables

from partnerships.tables import GovukTable, NumberColumn


class RegisterByTeamTable(GovukTable):
    """People entitled to aftercare, by team: counts only, never people."""

    team = tables.Column()
    source = tables.Column()
    people = NumberColumn()

    class Meta(GovukTable.Meta):
        pass
