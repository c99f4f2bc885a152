"""Report charts: plain values in, an SVG chart with its text alternative and table out.

Drawn with matplotlib's object API (never pyplot, whose global figure state is not safe in a
threaded web server) and saved as SVG, so one chart serves the page and the PDF. The page
embeds `Chart.data_uri` in an `<img>` with `Chart.alt`, and shows `Chart.columns`/`rows` as
a captioned table next to it (shared/BUILDING-BLOCKS.md, "Charts").
"""

import base64
import functools
import io
import logging
import textwrap
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import matplotlib
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from core.formatting import NOT_REPORTED

Value = Decimal | int
# Sequence/Mapping rather than list/dict: they are covariant, so a list[Decimal] is accepted.
SeriesValues = Mapping[str, Sequence[Value | None]]
ValueFormat = Callable[[Value], str]

NO_FIGURES = "No figures recorded"

# GOV.UK colours in an order where neighbours differ in lightness or on the blue–yellow axis,
# which survives the common colour-vision deficiencies. Orange is under 3:1 against white, so
# bars and markers get a dark edge; lines also differ by marker shape, not by colour alone.
PALETTE = ("#1d70b8", "#f47738", "#003078", "#00703c", "#4c2c92", "#d4351c")
MARKERS = ("o", "s", "^", "D", "v", "P")
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#b1b4b6"
FIGURE_SIZE = (8, 4)  # inches
FONT_FAMILIES = ["Arial", "Liberation Sans", "DejaVu Sans", "sans-serif"]

# svg.* settings are only read from rcParams, so they are applied with rc_context. That
# mutates matplotlib's global rcParams for the duration, hence the lock around every render.
_STYLE = {
    "svg.fonttype": "none",  # text stays text: searchable, and tests can read it
    "svg.hashsalt": "partnerships",  # stable element ids, so renders are byte-identical
    "font.family": FONT_FAMILIES,
    "font.size": 11,
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "axes.edgecolor": TEXT_COLOUR,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
}
_RENDER_LOCK = threading.Lock()


class _QuietMissingPreferredFont(logging.Filter):
    """Drop matplotlib's "Font family 'Arial' not found" for the families we name.

    Arial comes first so browsers and PDF viewers use it, but servers seldom have it; matplotlib
    then measures text with Liberation Sans (Arial's metrics) and would otherwise log a warning
    for every piece of text on every render (about 65 a chart).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.msg == "findfont: Font family %r not found."
            and bool(record.args)
            and record.args[0] in FONT_FAMILIES
        )


logging.getLogger("matplotlib.font_manager").addFilter(_QuietMissingPreferredFont())


@dataclass(frozen=True)
class Chart:
    title: str
    alt: str
    svg: str
    columns: list[str]
    rows: list[list[str]]

    @property
    def data_uri(self) -> str:
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


# Charts -------------------------------------------------------------------------------------

# Charts are kept by their arguments, the value format among them: pass these module-level
# formatters (or another named function), not a lambda made afresh on each request.
CACHED_CHARTS = 256  # per process; a chart's SVG is some tens of kilobytes


def _memoised(make_chart: Callable[..., Chart]) -> Callable[..., Chart]:
    """Drawing a chart takes far longer than reading its figures, and the same figures are
    drawn again on every view of a page. A chart is a pure function of its arguments, so the
    last few hundred are kept, keyed on every argument (series as tuples of their values)."""

    @functools.lru_cache(maxsize=CACHED_CHARTS)
    def cached(title, axis, labels, series, value_format, y_label, x_label) -> Chart:
        return make_chart(
            title=title,
            **{axis: list(labels)},
            series={name: list(values) for name, values in series},
            value_format=value_format,
            y_label=y_label,
            x_label=x_label,
        )

    @functools.wraps(make_chart)
    def chart(*, title, series, value_format, y_label="", x_label="", **labels) -> Chart:
        ((axis, names),) = labels.items()  # categories= or periods=
        frozen = tuple((name, tuple(values)) for name, values in series.items())
        return cached(title, axis, tuple(names), frozen, value_format, y_label, x_label)

    chart.cache_clear = cached.cache_clear
    return chart


@_memoised
def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: SeriesValues,
    value_format: ValueFormat,
    y_label: str = "",
    x_label: str = "",
) -> Chart:
    """Bars per category, grouped side by side when there is more than one series.

    None, a figure not reported (never drawn as 0), is a gap in the chart and "Not reported"
    in the table and alt text. `x_label`, if given, labels the category axis and heads the
    table's first column.
    """
    _check_lengths(categories, series)
    if _is_empty(categories, series):
        return _empty_chart("Bar chart", title)

    def draw(axes: Axes) -> None:
        group_width = 0.8
        bar_width = group_width / len(series)
        handles: list[Artist] = []
        for index, values in enumerate(series.values()):
            offset = (index - (len(series) - 1) / 2) * bar_width
            colour = PALETTE[index % len(PALETTE)]
            recorded = [(i, value) for i, value in enumerate(values) if value is not None]
            axes.bar(
                [i + offset for i, _ in recorded],
                [float(value) for _, value in recorded],  # float only for drawing
                width=bar_width,
                color=colour,
                edgecolor=TEXT_COLOUR,
                linewidth=0.5,
            )
            handles.append(Patch(facecolor=colour, edgecolor=TEXT_COLOUR, linewidth=0.5))
        if _has_negative(series):
            axes.axhline(0, color=TEXT_COLOUR, linewidth=0.8)
        _label_categories(axes, categories)
        if len(series) > 1:
            _add_legend(axes, handles, list(series))

    return Chart(
        title=title,
        alt=_alt_text("Bar chart", title, categories, series, value_format),
        svg=_render(
            draw, series=series, value_format=value_format, x_label=x_label, y_label=y_label
        ),
        columns=[x_label or "Category", *series],
        rows=_rows(categories, series, value_format),
    )


@_memoised
def line_chart(
    *,
    title: str,
    periods: Sequence[str],
    series: SeriesValues,
    value_format: ValueFormat,
    y_label: str = "",
    x_label: str = "",
) -> Chart:
    """One line per series across periods (quarters or years), for trends.

    None, a figure not reported (never drawn as 0), breaks the line and is "Not reported" in
    the table and alt text; every point has a marker, so a value between two gaps still shows.
    """
    _check_lengths(periods, series)
    if _is_empty(periods, series):
        return _empty_chart("Line chart", title)

    def draw(axes: Axes) -> None:
        handles: list[Artist] = []
        for index, values in enumerate(series.values()):
            style = {
                "color": PALETTE[index % len(PALETTE)],
                "marker": MARKERS[index % len(MARKERS)],
                "linewidth": 2.5,
                "markersize": 7,
                "markeredgecolor": TEXT_COLOUR,
                "markeredgewidth": 0.6,
            }
            # NaN is matplotlib's gap: the line stops either side of it.
            points = [float("nan") if value is None else float(value) for value in values]
            axes.plot(range(len(periods)), points, **style)
            handles.append(Line2D([], [], **style))
        _label_categories(axes, periods)
        if len(series) > 1:
            _add_legend(axes, handles, list(series))

    span = f"{periods[0]} to {periods[-1]}" if len(periods) > 1 else periods[0]
    return Chart(
        title=title,
        alt=_alt_text("Line chart", title, periods, series, value_format, span=span),
        svg=_render(
            draw, series=series, value_format=value_format, x_label=x_label, y_label=y_label
        ),
        columns=[x_label or "Period", *series],
        rows=_rows(periods, series, value_format),
    )


def _check_lengths(labels: Sequence[str], series: SeriesValues) -> None:
    for name, values in series.items():
        if len(values) != len(labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(labels)} labels")


def _is_empty(labels: Sequence[str], series: SeriesValues) -> bool:
    return not labels or all(value is None for values in series.values() for value in values)


def _has_negative(series: SeriesValues) -> bool:
    return any(value is not None and value < 0 for values in series.values() for value in values)


def _display(value: Value | None, value_format: ValueFormat) -> str:
    return NOT_REPORTED if value is None else value_format(value)


def _rows(
    labels: Sequence[str], series: SeriesValues, value_format: ValueFormat
) -> list[list[str]]:
    return [
        [label, *(_display(values[i], value_format) for values in series.values())]
        for i, label in enumerate(labels)
    ]


def _alt_text(
    kind: str,
    title: str,
    labels: Sequence[str],
    series: SeriesValues,
    value_format: ValueFormat,
    *,
    span: str = "",
) -> str:
    subject = f"{kind} of {_lower_first(title.rstrip('.'))}"
    if span:
        subject = f"{subject}, {span}"

    def figures(values: Sequence[Value | None]) -> str:
        return "; ".join(
            f"{label} {_display(value, value_format)}"
            for label, value in zip(labels, values, strict=True)
        )

    if len(series) == 1:
        (values,) = series.values()
        return f"{subject}: {figures(values)}."
    each = " ".join(f"{name}: {figures(values)}." for name, values in series.items())
    return f"{subject}, comparing {_join(list(series))}. {each}"


def _lower_first(title: str) -> str:
    # "Planned contributions" reads as "Bar chart of planned contributions"; leave acronyms
    # and codes ("LBB", "S117", "Q1") as they are.
    first_word = title.split(" ", 1)[0]
    if first_word[:1].isupper() and first_word[1:].islower():
        return title[0].lower() + title[1:]
    return title


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _empty_chart(kind: str, title: str) -> Chart:
    def draw(figure: Figure) -> None:
        figure.text(0.5, 0.5, NO_FIGURES, ha="center", va="center", fontsize=14)

    return Chart(
        title=title,
        alt=f"{kind} of {_lower_first(title.rstrip('.'))}: no figures recorded.",
        svg=_save(draw),
        columns=[],
        rows=[],
    )


def _render(
    draw: Callable[[Axes], None],
    *,
    series: SeriesValues,
    value_format: ValueFormat,
    x_label: str,
    y_label: str,
) -> str:
    # Whole-number data gets whole-number ticks, so count() never labels 0.5 and 1 both "1".
    whole_numbers = all(
        Decimal(value) == Decimal(value).to_integral_value()
        for values in series.values()
        for value in values
        if value is not None
    )

    drawn = [float(value) for values in series.values() for value in values if value is not None]

    def draw_axes(figure: Figure) -> None:
        axes = figure.add_subplot()
        draw(axes)
        locator = MaxNLocator(nbins=6, integer=whole_numbers)
        axes.yaxis.set_major_locator(locator)
        # The axis runs from a labelled tick at or below the lowest figure (and nought, where
        # the chart has it) to one at or above the highest, so no figure is drawn above the
        # top label, where a reader can't tell what it is.
        bottom, _ = axes.get_ylim()
        ticks = locator.tick_values(min(bottom, *drawn), max(drawn))
        if ticks[-1] > ticks[0]:
            axes.set_ylim(ticks[0], ticks[-1])
        axes.yaxis.set_major_formatter(
            FuncFormatter(lambda tick, _position: value_format(_tick_value(tick)))
        )
        axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
        axes.set_axisbelow(True)
        if x_label:
            axes.set_xlabel(x_label)
        if y_label:
            axes.set_ylabel(y_label)

    return _save(draw_axes)


def _tick_value(tick: float) -> Decimal:
    # str() of a float is its shortest round-trip form: 2500000.0, not 2499999.9999...
    return Decimal(str(float(tick)))


def _label_categories(axes: Axes, labels: Sequence[str]) -> None:
    positions = range(len(labels))
    if len(labels) > 8:
        axes.set_xticks(positions, labels=labels, rotation=45, ha="right", rotation_mode="anchor")
    else:
        # About 78 characters fit across the plot at this font size; share them out.
        width = max(10, 78 // len(labels))
        axes.set_xticks(positions, labels=[textwrap.fill(label, width) for label in labels])
    axes.tick_params(axis="x", length=0)


def _add_legend(axes: Axes, handles: list[Artist], names: list[str]) -> None:
    # Outside the plot on the right, so it can never cover a bar or a point.
    axes.legend(handles, names, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)


def _save(draw: Callable[[Figure], None]) -> str:
    buffer = io.BytesIO()
    with _RENDER_LOCK, matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=FIGURE_SIZE, layout="constrained")
        FigureCanvasSVG(figure)
        draw(figure)
        # No Date, so two renders of the same data are byte-identical.
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue().decode("utf-8")
