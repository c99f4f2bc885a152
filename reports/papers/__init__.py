"""What each kind of report says, built from the partnership's figures for a period.

A paper (`blocks.Paper`) is sections of numbered paragraphs, tables of typed values
(`values`) and charts. Each section is a module of `sections/`; `kinds.KINDS` lists the
sections of each kind of paper. `Paper.to_data()` is what publishing freezes.
"""

from reports.papers.blocks import Paper
from reports.papers.context import ReportUnavailable
from reports.papers.kinds import KINDS, build, narrative_titles

__all__ = ["KINDS", "Paper", "ReportUnavailable", "build", "narrative_titles"]
