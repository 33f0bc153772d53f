"""The portal's one rule for small numbers: a count of 1 to 4 people in a breakdown is
shown as "<5", because a handful of people in one neighbourhood, age band or course could
be recognised. Zero is shown (nobody can be identified by absence), and so is 5 or more.

Report tables apply it when they are built, so a dashboard, a chart and an exported file
all carry "<5" and the exact figure never leaves the database query.
"""

SMALL_NUMBER = "<5"


def is_small(count) -> bool:
    """1 to 4 people: few enough that someone could be identified."""
    return count is not None and not isinstance(count, str) and 1 <= count <= 4


def suppressed(count):
    """The count, or "<5" in its place when it is 1 to 4."""
    return SMALL_NUMBER if is_small(count) else count


# Under a table that shows small numbers as "<5".
SUPPRESSION_NOTE = 'Counts of 1 to 4 are shown as "<5" so that no one can be identified.'
