"""Hostile input for the fuzz tests, and submissions that mix it with good input.

A `Submission` knows which of its fields were given a value no form may accept (a NUL,
too long, an impossible date, a choice not offered, a required field left out), so a test
can say "this must be refused and change nothing" without asking the form under test."""

import string
from dataclasses import dataclass

from hypothesis import strategies as st

NUL = "\x00"

# Characters that break careless code: NUL (PostgreSQL refuses it in text), lone
# surrogates (no UTF-8 encoding), right-to-left and other bidirectional controls,
# zero-width and byte-order marks, a combining accent, letters that change length when
# upper-cased, emoji, quotes, markup, template and SQL syntax, percent signs, line breaks.
AWKWARD = [
    "\ud800",
    "\udfff",
    "\u200f",
    "\u202e",
    "\u2066",
    "\u061c",
    "\ufeff",
    "\u200b",
    "\u0301",
    "ß",
    "İ",
    "😀",
    "\r\n",
    "\t",
    "'",
    '"',
    "<script>alert(1)</script>",
    "&amp;",
    "{{ request }}",
    "{% debug %}",
    "' OR 1=1 --",
    "%",
    "%00",
    "%s",
    "\\",
    "../",
    "NULL",
    NUL,
]

awkward_text = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(AWKWARD)), max_size=8).map(
    "".join
)
very_long_text = st.builds(
    lambda character, length: character * length,
    st.sampled_from(["a", "é", "😀", " ", "\u202e", "9"]),
    st.integers(min_value=256, max_value=25_000),
)
hostile_text = st.one_of(awkward_text, very_long_text)
with_nul = st.builds(lambda before, after: f"{before}{NUL}{after}", awkward_text, awkward_text)

numbers_as_text = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),  # with nan, inf and -inf
    st.sampled_from(
        ["", " ", "1e309", "-0", "0x1F", "١٢", "1_000", "12.5.1", " 7 ", "+3", "9" * 400]
    ),
)
page_numbers = st.one_of(numbers_as_text, st.sampled_from(["last", "first"]), hostile_text)

IMPOSSIBLE_DATES = [
    "2026-02-30",
    "2025-02-29",
    "2026-13-01",
    "2026-00-10",
    "0000-01-01",
    "99999-01-01",
    "31/02/2026",
    "30/02/26",
    "00/00/0000",
    "32-01-2026",
    "2026-1-32",
    "tomorrow",
]
impossible_dates = st.sampled_from(IMPOSSIBLE_DATES)
dates_as_text = st.one_of(
    impossible_dates,
    st.dates().map(lambda day: day.isoformat()),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    hostile_text,
)

BAD_EMAILS = [
    "plainaddress",
    "@example.org",
    "name@",
    "name@@example.org",
    "name@example..org",
    "name @example.org",
    ".name@example.org",
    "name@-example.org",
    "name@example.org\nBcc: other@example.org",
    "a" * 400 + "@example.org",
    "name@" + "b" * 70 + ".org",
]
ODD_EMAILS = [
    '"quoted name"@example.org',
    "name+tag@example.org",
    "NAME@EXAMPLE.ORG",
    "ünïcode@exämple.org",
    "name@[127.0.0.1]",
    "name@xn--bcher-kva.example",
    " name@example.org ",
]
bad_emails = st.one_of(st.sampled_from(BAD_EMAILS), with_nul)
emails = st.one_of(st.emails(), st.sampled_from(ODD_EMAILS), bad_emails, hostile_text)

GOOD_POSTCODES = ["LS1 3EX", "ls13ex", "LS12 3AB", "ls12  3ab", "SW1A 1AA", "M1 1AE", "B33 8TH"]
BAD_POSTCODES = ["LS", "LS1 3E", "1LS 3EX", "LS1 3EXX", "ZZZZZZ", "12345", "ＬＳ１ ３ＥＸ"]
postcodes = st.one_of(
    st.sampled_from(GOOD_POSTCODES),
    st.sampled_from(BAD_POSTCODES),
    st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", fullmatch=True),
    hostile_text,
)

# Codes and tokens as they appear in addresses, well formed or not.
tokens = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + "-_:.", min_size=1, max_size=120),
    st.sampled_from([NUL, f"a{NUL}b", "%00", ".", "-", ":", "a:b:c", "null", "undefined"]),
    hostile_text.map(lambda value: value or "-"),
)


# A checkbox left unticked, as a form may send it: any other value, "0" and "off" too,
# reads as ticked (Django's CheckboxInput).
UNTICKED = st.sampled_from(["", "false", "FALSE"])


def wrong_choices(valid) -> st.SearchStrategy:
    """Values not among `valid`: other text, numbers, the right word in capitals."""
    valid = {str(value) for value in valid}
    capitals = sorted(value.upper() for value in valid if value.upper() not in valid)
    return st.one_of(
        st.sampled_from(capitals or ["NOT-A-CHOICE"]), hostile_text, numbers_as_text
    ).filter(lambda value: value not in valid and value != "")  # blank is "no choice"


def choices(valid) -> st.SearchStrategy:
    """Mostly offered choices, sometimes not."""
    return st.one_of(st.sampled_from(list(valid)), wrong_choices(valid))


def too_long(max_length: int) -> st.SearchStrategy:
    """Text over `max_length` characters even after stripping its ends."""
    return st.builds(
        lambda length, tail: "x" * length + tail,
        st.integers(min_value=max_length + 1, max_value=max_length + 3000),
        awkward_text,
    )


def bad_text(max_length: int, *, required: bool) -> st.SearchStrategy:
    """Text no CharField of that length may accept."""
    bad = [with_nul, too_long(max_length)]
    if required:
        bad.append(st.sampled_from(["", " ", "\t\r\n"]))
    return st.one_of(bad)


@dataclass(frozen=True)
class Field:
    good: st.SearchStrategy
    bad: st.SearchStrategy | None = None
    required: bool = False


@dataclass
class Submission:
    data: dict
    bad_fields: list  # given a value no form may accept
    missing_required: list  # left out, though the form needs them

    @property
    def must_be_refused(self) -> bool:
        return bool(self.bad_fields or self.missing_required)


@st.composite
def submissions(draw, fields: dict[str, Field]) -> Submission:
    """All fields good, one field off, or each field anything: good, bad, hostile (which
    may or may not be acceptable), left out, or sent several times (a single-value field
    reads the last)."""
    mode = draw(st.sampled_from(["all good", "one off", "anything"]))
    off = draw(st.sampled_from(sorted(fields))) if mode == "one off" else None
    data, bad_fields, missing_required = {}, [], []
    for name, field in fields.items():
        kinds = ["hostile", "missing", "several"] + (["bad"] if field.bad is not None else [])
        if mode == "all good" or (mode == "one off" and name != off):
            kind = "good"
        else:
            kind = draw(st.sampled_from(["good", *kinds] if mode == "anything" else kinds))
        if kind == "good":
            data[name] = draw(field.good)
        elif kind == "bad":
            data[name] = draw(field.bad)
            bad_fields.append(name)
        elif kind == "hostile":
            data[name] = draw(hostile_text)
        elif kind == "several":
            data[name] = draw(st.lists(st.one_of(field.good, hostile_text), min_size=2, max_size=4))
        elif field.required:
            missing_required.append(name)
    return Submission(data, bad_fields, missing_required)


def query_params(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    """Query strings: any of `fields` (each with its own values, hostile ones or several
    at once), plus a stray parameter now and then."""
    one = {
        name: st.one_of(values, hostile_text, with_nul, st.lists(values, min_size=2, max_size=4))
        for name, values in fields.items()
    }
    return st.fixed_dictionaries(
        {}, optional={"unexpected": hostile_text, "page": page_numbers, **one}
    )
