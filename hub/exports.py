"""Report tables written as files: CSV, and Excel through openpyxl.

Both writers take the tables in order, each with its title, and call `progress(rows)`
after every `every` rows and once at the end, so a long build can show how far it has got
with one UPDATE now and then rather than one per row.

Cells people typed (vacancy titles, organisation and campaign names) may start with "=",
"+", "-" or "@", which a spreadsheet runs as a formula: every text cell goes through
`spreadsheet_safe`, the rule talent's pipeline CSV export uses too, so a file from the
portal never runs anything when opened. Numbers and dates keep their type, so they sort
and sum in the spreadsheet.
"""

import csv
import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hub.report_tables import Table

PROGRESS_EVERY = 500
# Widths are judged from the header and the first rows; a long cell wraps beyond this.
WIDTH_SAMPLE_ROWS = 1000
MAX_COLUMN_WIDTH = 60
SHEET_TITLE_MAX = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Spreadsheets run a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Progress = Callable[[int], None]


def spreadsheet_safe(value) -> str:
    """The cell as text, with a ' in front when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


@dataclass(frozen=True)
class Section:
    """One table of an export, under its title from the registry."""

    title: str
    table: Table


class _Counter:
    """Counts written rows and reports every `every` of them, and the total at the end."""

    def __init__(self, progress: Progress | None, every: int):
        self.progress, self.every, self.done = progress, every, 0

    def add(self) -> None:
        self.done += 1
        if self.progress and self.done % self.every == 0:
            self.progress(self.done)

    def finish(self) -> None:
        if self.progress and self.done % self.every:
            self.progress(self.done)


def _cell(value, *, excel: bool):
    """A value as a file should hold it: numbers and dates as they are (aware times in UK
    time, since spreadsheets know no time zones), yes/no for booleans, anything else as
    spreadsheet-safe text (without the control characters Excel files cannot hold)."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    text = spreadsheet_safe(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text) if excel else text


def write_csv(
    sections: Sequence[Section], out, *, progress: Progress | None = None, every=PROGRESS_EVERY
) -> None:
    """Write to the text stream `out`. One table: its header and rows. Several: each
    starts with its title on a row of its own and ends with a blank row, so the file
    opens in a spreadsheet as the tables one after another. A table's notes follow it."""
    writer = csv.writer(out)
    counter = _Counter(progress, every)
    several = len(sections) > 1
    for section in sections:
        if several:
            writer.writerow([spreadsheet_safe(section.title)])
        writer.writerow([spreadsheet_safe(header) for header in section.table.headers])
        for row in section.table.rows:
            writer.writerow([_cell(value, excel=False) for value in row])
            counter.add()
        for note in section.table.notes:
            writer.writerow([spreadsheet_safe(note)])
        if several:
            writer.writerow([])
    counter.finish()


def sheet_title(title: str, used: set[str]) -> str:
    """A worksheet name Excel accepts: no []:*?/\\, at most 31 characters, unique in the
    workbook (Excel compares them ignoring case)."""
    base = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", title).split()).strip("'") or "Table"
    candidate, n = base[:SHEET_TITLE_MAX], 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: SHEET_TITLE_MAX - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def column_widths(table: Table) -> list[float]:
    """Each column wide enough for its header and the longest of its first rows."""
    widths = [len(str(header)) for header in table.headers]
    for row in table.rows[:WIDTH_SAMPLE_ROWS]:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], len("" if value is None else str(value)))
    return [min(MAX_COLUMN_WIDTH, width + 2) for width in widths]


def write_xlsx(
    sections: Sequence[Section], out, *, progress: Progress | None = None, every=PROGRESS_EVERY
) -> None:
    """Write a workbook to the binary stream `out`: a sheet per table, named after it,
    with a bold header row that stays in view when scrolling, columns sized to their
    contents, and the table's notes below it. Write-only mode streams rows to the file,
    so a large export does not hold every cell object in memory."""
    workbook = Workbook(write_only=True)
    counter = _Counter(progress, every)
    used: set[str] = set()
    bold = Font(bold=True)
    for section in sections:
        table = section.table
        sheet = workbook.create_sheet(sheet_title(section.title, used))
        for index, width in enumerate(column_widths(table), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        header = []
        for title in table.headers:
            cell = WriteOnlyCell(sheet, value=_cell(title, excel=True))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_cell(value, excel=True) for value in row])
            counter.add()
        if table.notes:
            sheet.append([])
            for note in table.notes:
                sheet.append([_cell(note, excel=True)])
    workbook.save(out)
    counter.finish()
