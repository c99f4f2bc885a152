"""The sections papers are made of, one module each. A module declares its section as a
`PaperSection` (or a few variants of it); `reports.papers.kinds` lists which kinds of paper
have it, and where."""
