import base64
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from core.charts import Chart, bar_chart, line_chart
from core.formatting import count, percent
from core.formatting import whole_pounds as pounds

SVG_NS = "{http://www.w3.org/2000/svg}"
QUARTERS = ["2023/24-Q1", "2023/24-Q2", "2023/24-Q3", "2023/24-Q4"]


def contributions(**overrides: object) -> Chart:
    arguments = {
        "title": "Planned contributions to the 2022/23 pooled budget",
        "categories": ["LBB", "Oxleas"],
        "series": {"Planned": [Decimal("1618413.00"), Decimal("16828651.00")]},
        "value_format": pounds,
    }
    return bar_chart(**(arguments | overrides))


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    return ["".join(element.itertext()) for element in root.iter(f"{SVG_NS}text")]


def bar_count(svg: str) -> int:
    # Bars are the dark-edged paths clipped to the plot area; legend swatches are not clipped.
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    return sum(
        1
        for path in root.iter(f"{SVG_NS}path")
        if "clip-path" in path.attrib and "stroke-width: 0.5" in path.get("style", "")
    )


# Formatters


def test_pounds_whole_pounds_with_thousands_separators():
    assert pounds(Decimal("1618413.00")) == "£1,618,413"
    assert pounds(16828651) == "£16,828,651"
    assert pounds(0) == "£0"


def test_pounds_rounds_half_up():
    assert pounds(Decimal("1870574.50")) == "£1,870,575"
    assert pounds(Decimal("1870574.49")) == "£1,870,574"
    assert pounds(Decimal("0.5")) == "£1"
    assert pounds(Decimal("2.5")) == "£3"  # not banker's rounding to £2


def test_pounds_negative_uses_minus_sign_before_pound():
    assert pounds(-1234) == "\u2212£1,234"
    assert pounds(Decimal("-1234.50")) == "\u2212£1,235"  # half away from zero


def test_pounds_negative_rounding_to_zero_has_no_sign():
    assert pounds(Decimal("-0.40")) == "£0"


def test_pounds_float_is_refused():
    with pytest.raises(TypeError):
        pounds(1618413.0)  # type: ignore[arg-type]


def test_count_thousands_separators():
    assert count(1664) == "1,664"
    assert count(Decimal("1234567")) == "1,234,567"
    assert count(-12) == "\u221212"


def test_percent_rounds_half_up_to_places():
    assert percent(Decimal("8.75")) == "8.8%"
    assert percent(Decimal("8.749")) == "8.7%"
    assert percent(12, places=0) == "12%"
    assert percent(Decimal("33.3333"), places=2) == "33.33%"
    assert percent(Decimal("-1.25")) == "\u22121.3%"


# Bar chart


def test_bar_chart_alt_states_kind_title_categories_and_values():
    chart = contributions()

    assert chart.alt == (
        "Bar chart of planned contributions to the 2022/23 pooled budget: "
        "LBB £1,618,413; Oxleas £16,828,651."
    )


def test_bar_chart_rows_equal_formatted_data():
    chart = contributions()

    assert chart.columns == ["Category", "Planned"]
    assert chart.rows == [["LBB", "£1,618,413"], ["Oxleas", "£16,828,651"]]


def test_bar_chart_x_label_heads_first_column():
    chart = contributions(x_label="Partner")

    assert chart.columns == ["Partner", "Planned"]
    assert "Partner" in svg_texts(chart.svg)


def test_bar_chart_formats_the_decimals_themselves():
    # A formatter that shows what it was given: the table must see the Decimal, not a float.
    chart = contributions(value_format=repr)

    assert chart.rows[0] == ["LBB", "Decimal('1618413.00')"]
    assert "Decimal('16828651.00')" in chart.alt


def test_bar_chart_svg_is_xml_with_labels_as_text():
    chart = contributions(y_label="Contribution")

    texts = svg_texts(chart.svg)

    assert "LBB" in texts
    assert "Oxleas" in texts
    assert "Contribution" in texts


def test_bar_chart_y_axis_uses_value_format():
    chart = contributions()

    texts = svg_texts(chart.svg)

    assert "£0" in texts
    assert any(text.startswith("£") and text.endswith(",000,000") for text in texts)


def test_bar_chart_same_input_gives_identical_svg():
    first = contributions()
    second = contributions()

    assert first.svg == second.svg


def test_bar_chart_grouped_has_a_bar_per_value_and_a_legend():
    chart = contributions(
        series={
            "Planned": [Decimal("1618413.00"), Decimal("16828651.00")],
            "Actual": [Decimal("1700000.00"), Decimal("16000000.00")],
        }
    )

    texts = svg_texts(chart.svg)

    assert bar_count(chart.svg) == 4
    assert "Planned" in texts
    assert "Actual" in texts
    assert chart.columns == ["Category", "Planned", "Actual"]
    assert chart.rows == [
        ["LBB", "£1,618,413", "£1,700,000"],
        ["Oxleas", "£16,828,651", "£16,000,000"],
    ]
    assert chart.alt == (
        "Bar chart of planned contributions to the 2022/23 pooled budget, comparing Planned "
        "and Actual. Planned: LBB £1,618,413; Oxleas £16,828,651. "
        "Actual: LBB £1,700,000; Oxleas £16,000,000."
    )


def test_bar_chart_single_series_has_no_legend():
    chart = contributions()

    assert "Planned" not in svg_texts(chart.svg)


def test_bar_chart_none_is_a_gap_and_not_recorded():
    chart = contributions(series={"Planned": [Decimal("1618413.00"), None]})

    assert bar_count(chart.svg) == 1
    assert chart.rows == [["LBB", "£1,618,413"], ["Oxleas", "Not reported"]]
    assert "Oxleas Not reported" in chart.alt


def test_bar_chart_long_labels_are_wrapped_onto_lines():
    label = "Oxleas NHS Foundation Trust community mental health services for adults"
    chart = contributions(
        categories=["LBB", label, "Bromley", "Greenwich", "Bexley"],
        series={"Planned": [1, 2, 3, 4, 5]},
    )

    texts = svg_texts(chart.svg)

    assert label not in texts
    assert " ".join(text for text in texts if text in label) == label


def test_bar_chart_negative_values_are_drawn_and_formatted():
    chart = contributions(series={"Planned": [Decimal("-200000.00"), Decimal("500000.00")]})

    assert bar_count(chart.svg) == 2
    assert chart.rows[0] == ["LBB", "\u2212£200,000"]


def test_bar_chart_series_length_mismatch_is_refused():
    with pytest.raises(ValueError, match="'Planned' has 1 values for 2 labels"):
        contributions(series={"Planned": [Decimal("1.00")]})


def test_bar_chart_no_categories_says_no_figures():
    chart = contributions(categories=[], series={"Planned": []})

    assert chart.alt == (
        "Bar chart of planned contributions to the 2022/23 pooled budget: no figures recorded."
    )
    assert chart.columns == []
    assert chart.rows == []
    assert svg_texts(chart.svg) == ["No figures recorded"]


def test_bar_chart_all_values_none_says_no_figures():
    chart = contributions(series={"Planned": [None, None], "Actual": [None, None]})

    assert "no figures recorded" in chart.alt
    assert chart.rows == []
    assert svg_texts(chart.svg) == ["No figures recorded"]


def test_bar_chart_no_series_says_no_figures():
    chart = contributions(series={})

    assert "no figures recorded" in chart.alt
    assert svg_texts(chart.svg) == ["No figures recorded"]


# Line chart


def caseload(**overrides: object) -> Chart:
    arguments = {
        "title": "S117 open cases",
        "periods": QUARTERS,
        "series": {"Open cases": [1600, 1650, None, 1664]},
        "value_format": count,
    }
    return line_chart(**(arguments | overrides))


def test_line_chart_alt_states_span_periods_and_values():
    chart = caseload()

    assert chart.alt == (
        "Line chart of S117 open cases, 2023/24-Q1 to 2023/24-Q4: 2023/24-Q1 1,600; "
        "2023/24-Q2 1,650; 2023/24-Q3 Not reported; 2023/24-Q4 1,664."
    )


def test_line_chart_rows_equal_formatted_data():
    chart = caseload(series={"Open": [1600, 1650, None, 1664], "New": [10, 12, 11, 9]})

    assert chart.columns == ["Period", "Open", "New"]
    assert chart.rows == [
        ["2023/24-Q1", "1,600", "10"],
        ["2023/24-Q2", "1,650", "12"],
        ["2023/24-Q3", "Not reported", "11"],
        ["2023/24-Q4", "1,664", "9"],
    ]


def test_line_chart_svg_is_xml_with_periods_legend_and_axis_as_text():
    chart = caseload(series={"Open": [1600, 1650, None, 1664], "New": [10, 12, 11, 9]})

    texts = svg_texts(chart.svg)

    assert set(QUARTERS) <= set(texts)
    assert {"Open", "New"} <= set(texts)
    assert "1,600" in texts


def test_line_chart_same_input_gives_identical_svg():
    assert caseload().svg == caseload().svg


def test_line_chart_percent_values():
    chart = caseload(
        title="Share of spend",
        series={"Council": [Decimal("8.75"), Decimal("9.10"), Decimal("9.05"), None]},
        value_format=percent,
    )

    assert chart.rows[0] == ["2023/24-Q1", "8.8%"]
    assert "2023/24-Q3 9.1%; 2023/24-Q4 Not reported." in chart.alt


def test_line_chart_no_periods_says_no_figures():
    chart = caseload(periods=[], series={"Open cases": []})

    assert chart.alt == "Line chart of S117 open cases: no figures recorded."
    assert chart.rows == []
    assert svg_texts(chart.svg) == ["No figures recorded"]


# Embedding


def test_chart_data_uri_decodes_back_to_svg():
    chart = contributions()

    prefix, encoded = chart.data_uri.split(",", 1)

    assert prefix == "data:image/svg+xml;base64"
    assert base64.b64decode(encoded).decode("utf-8") == chart.svg


def test_a_chart_of_the_same_figures_is_drawn_once_and_different_figures_draw_anew():
    from decimal import Decimal

    from core import charts

    def draw(value):
        return charts.bar_chart(
            title="Pooled budget by partner",
            categories=["LBB", "Oxleas"],
            series={"Planned": [Decimal("1618413.00"), value]},
            value_format=pounds,
        )

    first = draw(Decimal("16828651.00"))

    assert draw(Decimal("16828651.00")) is first  # kept, not drawn again
    changed = draw(Decimal("16828652.00"))
    assert changed is not first and changed.rows[1][1] == "£16,828,652"


def _tick_labels(chart) -> list[Decimal]:
    """The y-axis labels, as numbers: the texts that read back as figures."""
    numbers = []
    for text in svg_texts(chart.svg):
        try:
            numbers.append(Decimal(text.replace("\u2212", "-").strip("%£").replace(",", "")))
        except ArithmeticError:
            continue
    return numbers


@pytest.mark.parametrize(
    ("values", "value_format"),
    [
        ([Decimal("80"), Decimal("84.2"), Decimal("88")], percent),  # a KPI above its top label
        ([1590, 1633, 1664], count),
        ([Decimal("-12.5"), Decimal("3"), Decimal("97.5")], percent),
    ],
)
def test_line_chart_axis_labels_reach_past_the_highest_and_lowest_figures(values, value_format):
    chart = caseload(
        periods=QUARTERS[:3],
        series={"Figure": values, "Target": [Decimal("85")] * 3},
        value_format=value_format,
    )

    labels = _tick_labels(chart)

    assert max(labels) >= max(values)
    assert min(labels) <= min(values)


def test_bar_chart_axis_labels_reach_past_the_highest_bar_and_start_at_nought():
    chart = contributions()

    labels = [Decimal(t.strip("£").replace(",", "")) for t in svg_texts(chart.svg) if t[:1] == "£"]

    assert min(labels) == 0
    assert max(labels) >= Decimal("16828651.00")
