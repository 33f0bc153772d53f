"""How every campaign figure is shown: `{% figure count %}` and `{% rate part whole %}`.

With `suppress=True` (every breakdown table: by neighbourhood, by decile, cohorts,
retention) a count from 1 to 4 shows as "<5" and any rate worked out from such a count
shows as a dash (`NO_RATE`), because a handful of people in one neighbourhood or course could be
recognised. Campaign totals are shown as they are. The rule itself lives in
`hub.small_numbers`, shared with the dashboards.
"""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from campaigns.selectors.funnel import NO_RATE, shown_rate
from hub.small_numbers import SMALL_NUMBER, is_small

register = template.Library()


@register.simple_tag
def figure(count, suppress=False) -> str:
    """A count of people, "<5" for 1 to 4 when suppressing."""
    if count is None:
        return NO_RATE
    if suppress and is_small(count):
        return SMALL_NUMBER
    return intcomma(count)


@register.simple_tag
def rate(part, whole, suppress=False) -> str:
    """`part` as a percentage of `whole` ("25.2%"); a dash when there is nothing to divide
    by, or when suppressing and either count is 1 to 4."""
    value = shown_rate(part, whole, suppress=suppress)
    return value if value == NO_RATE else f"{value}%"
