"""Charts of report tables, drawn on the server as SVG: `{% bar_chart table %}` (one
horizontal bar per row: funnels and distributions) and `{% column_chart table %}` (one
column per row: a monthly trend).

Why SVG from the server and not a charting library from npm: the page needs no
JavaScript, so a chart shows at once, on any phone, and under the strict Content Security
Policy the portal is moving to (no inline scripts or styles: the drawing uses SVG
attributes only, the few styles are in static/css/charts.css); it stays crisp at any zoom
and prints as it looks. Each chart is `role="img"` with a `<title>` and a `<desc>` that
reads out every bar, and the same numbers are in the table printed beside it, which is
what screen reader users and anyone copying the figures use.

A count suppressed in the table ("<5", see `hub.small_numbers`) is drawn as the words
"<5" with no bar, so the bar's length cannot give the number away. The table's total row
("All partners") is in the table, not among the bars.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from hub.report_tables import ALL_PARTNERS
from hub.small_numbers import SMALL_NUMBER

register = template.Library()

WIDTH = 600
BAR_COLOUR = "#005eb8"
TEXT_COLOUR = "#212b32"
FONT_SIZE = 15


def _points(table, column: int) -> list[tuple[str, object]]:
    """(label, value) for each row: the first cell and the chosen column."""
    return [(str(row[0]), row[column]) for row in table.rows if row and str(row[0]) != ALL_PARTNERS]


def _scale(points) -> int:
    numbers = [value for _, value in points if isinstance(value, int | float)]
    return max([*numbers, 1])


def _shown(value) -> str:
    if value is None:
        return "none"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _svg(title: str, points, height: int, body: list[str], kind: str) -> str:
    ident = f"chart-{slugify(title)}"
    readout = "; ".join(f"{label}: {_shown(value)}" for label, value in points)
    return (
        f'<svg class="portal-chart" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'focusable="false" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{kind}. {escape(readout)}.</desc>' + "".join(body) + "</svg>"
    )


def _text(x, y, words, *, anchor="start", weight=None) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}" '
        f'text-anchor="{anchor}"{bold}>{escape(words)}</text>'
    )


@register.simple_tag
def bar_chart(table, column: int = 1, title: str = "") -> str:
    """One horizontal bar per row of `table`: its label above, its length the value in
    `column`, the value written after it."""
    points = _points(table, column)
    scale = _scale(points)
    bar_room = WIDTH - 90
    row_height = 50
    body = []
    for index, (label, value) in enumerate(points):
        top = index * row_height
        body.append(_text(0, top + 17, label))
        bar_top = top + 24
        if isinstance(value, int | float) and value > 0:
            length = max(round(value / scale * bar_room), 2)
            body.append(
                f'<rect class="portal-chart__bar" x="0" y="{bar_top}" width="{length}" '
                f'height="20" fill="{BAR_COLOUR}"/>'
            )
        else:
            length = 0
        body.append(_text(length + 6, bar_top + 15, _shown(value), weight="bold"))
    height = max(len(points) * row_height, row_height)
    return mark_safe(_svg(title, points, height, body, "Bar chart"))


@register.simple_tag
def column_chart(table, column: int = 1, title: str = "") -> str:
    """One column per row of `table` (months "March 2026", oldest first): its height the
    value in `column`, the value above it, the month's short name below, and the year
    under the first month and under each January."""
    points = _points(table, column)
    scale = _scale(points)
    plot_top, plot_height = 24, 170
    slot = WIDTH / max(len(points), 1)
    width = round(slot * 0.6)
    body = [
        f'<line x1="0" y1="{plot_top + plot_height}" x2="{WIDTH}" y2="{plot_top + plot_height}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
    ]
    for index, (label, value) in enumerate(points):
        centre = round(slot * index + slot / 2)
        height = 0
        if isinstance(value, int | float) and value > 0:
            height = max(round(value / scale * plot_height), 2)
            body.append(
                f'<rect class="portal-chart__bar" x="{centre - width // 2}" '
                f'y="{plot_top + plot_height - height}" width="{width}" height="{height}" '
                f'fill="{BAR_COLOUR}"/>'
            )
        body.append(
            _text(centre, plot_top + plot_height - height - 6, _shown(value), anchor="middle")
        )
        month, _, year = label.partition(" ")
        body.append(_text(centre, plot_top + plot_height + 20, month[:3], anchor="middle"))
        if index == 0 or month == "January":
            body.append(_text(centre, plot_top + plot_height + 40, year, anchor="middle"))
    return mark_safe(_svg(title, points, plot_top + plot_height + 50, body, "Column chart"))


@register.filter
def labelled_cells(row, headers) -> list[tuple[str, object, bool]]:
    """(header, cell, is it a figure) for each cell of a table row, for a responsive
    table that repeats the header beside each cell on a phone and aligns figures right."""
    return [
        (header, cell, cell is None or cell == SMALL_NUMBER or isinstance(cell, int | float))
        for header, cell in zip(headers, row, strict=True)
    ]
