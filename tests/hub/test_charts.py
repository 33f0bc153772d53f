"""The server-drawn SVG charts: one bar or column per row, lengths in proportion, "<5"
written without a bar, the total row left out, and a title and description for screen
readers."""

import re

from django.template import Context, Template

from hub.report_tables import Table
from hub.templatetags.charts import bar_chart, column_chart


def _bars(svg: str) -> list[int]:
    return [
        int(width)
        for width in re.findall(r'<rect class="portal-chart__bar"[^>]* width="(\d+)"', svg)
    ]


def test_bars_are_in_proportion_to_the_figures_each_with_its_label_and_value():
    svg = bar_chart(
        Table(["Stage", "Applications"], [["Submitted", 40], ["Screening", 10], ["Hired", 0]])
    )
    assert _bars(svg) == [510, 128]
    assert ">Submitted</text>" in svg and ">Screening</text>" in svg and ">Hired</text>" in svg
    assert ">40</text>" in svg and ">10</text>" in svg and ">0</text>" in svg


def test_a_suppressed_count_is_written_as_under_five_without_a_bar():
    svg = bar_chart(
        Table(["Decile", "Hires"], [["1 (most deprived)", 12], ["2", "<5"], ["3", 6]]),
        column=1,
        title="Hires by decile",
    )
    assert _bars(svg) == [510, 255]
    assert ">&lt;5</text>" in svg
    assert "2: &lt;5" in svg  # read out in the description too


def test_the_total_row_is_in_the_table_but_not_among_the_bars():
    table = Table(["Organisation", "All sent"], [["Leeds City Council", 3], ["All partners", 9]])
    svg = bar_chart(table)
    assert _bars(svg) == [510]
    assert "All partners" not in svg


def test_a_chart_is_an_image_with_a_title_and_a_description():
    svg = bar_chart(Table(["Source", "Applications"], [["Social media", 2]]), title="By source")
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-by-source-title chart-by-source-desc"' in svg
    assert '<title id="chart-by-source-title">By source</title>' in svg
    assert '<desc id="chart-by-source-desc">Bar chart. Social media: 2.</desc>' in svg
    assert "style=" not in svg and "<script" not in svg


def test_labels_are_escaped():
    svg = bar_chart(Table(["Campaign", "Engaged"], [["<b>Armley</b> & Wortley", 3]]))
    assert "&lt;b&gt;Armley&lt;/b&gt; &amp; Wortley" in svg
    assert "<b>" not in svg


def test_the_monthly_trend_has_a_column_per_month_and_the_year_under_january():
    rows = [["November 2025", 4], ["December 2025", 0], ["January 2026", 8]]
    svg = column_chart(Table(["Month", "Applications"], rows), title="Per month")
    assert _bars(svg) == [120, 120]
    heights = re.findall(r'<rect class="portal-chart__bar"[^>]* height="(\d+)"', svg)
    assert heights == ["85", "170"]
    assert re.findall(r">(?:Nov|Dec|Jan)<", svg) == [">Nov<", ">Dec<", ">Jan<"]
    assert svg.count(">2025</text>") == 1 and svg.count(">2026</text>") == 1
    assert "Column chart. November 2025: 4; December 2025: 0; January 2026: 8." in svg


def test_the_tags_render_in_a_template():
    template = Template("{% load charts %}{% bar_chart table column=1 title='Stages' %}")
    table = Table(["Stage", "Applications"], [["Submitted", 1]])
    assert template.render(Context({"table": table})).startswith('<svg class="portal-chart"')
