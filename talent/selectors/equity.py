"""Equity of reach: sent applications and hires counted by the answers to questions about
the applicant, in one UNION ALL of grouped counts.

Talent's reports count the equality monitoring answers; another app may add a question
of its own (campaigns adds the deprivation decile of the applicant's neighbourhood) with
`equity_question`, so the city dashboard still counts all of them in one query.
"""

from collections.abc import Callable

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from hub.report_tables import shared
from talent.models import Application, EqualityMonitoring

# The equality monitoring questions reported, in the order of the form: {field: (the
# question, its choices)}; their answers are counted as they are.
MONITORING_QUESTIONS = {
    "age_band": ("Age", EqualityMonitoring.AgeBand),
    "sex": ("Sex", EqualityMonitoring.Sex),
    "gender_same_as_birth": (
        "Gender identity the same as the sex registered at birth",
        EqualityMonitoring.YesNo,
    ),
    "ethnic_group": ("Ethnic group", EqualityMonitoring.EthnicGroup),
    "disability": ("Disability", EqualityMonitoring.YesNo),
    "religion": ("Religion or belief", EqualityMonitoring.Religion),
    "sexual_orientation": ("Sexual orientation", EqualityMonitoring.SexualOrientation),
}

# {question: group}: `group(sent applications)` is a `.values(answer=...)` of them, the
# answer as text, blank when there is none.
_QUESTIONS: dict[str, Callable[[QuerySet], QuerySet]] = {
    field: (
        lambda sent, field=field: sent.values(answer=Coalesce(F(f"monitoring__{field}"), Value("")))
    )
    for field in MONITORING_QUESTIONS
}


def equity_question(question: str, group: Callable[[QuerySet], QuerySet]) -> None:
    """Count sent applications and hires by `group`, under `question`, with the rest."""
    _QUESTIONS[question] = group


@shared
def equity_counts() -> dict[tuple[str, str], dict]:
    """{(question, answer): {"applications": n, "hires": n}} for sent applications, for
    every question. One UNION ALL of grouped counts."""
    sent = Application.objects.filter(~Q(stage=Application.Stage.DRAFT))
    first, *others = (
        group(sent)
        .annotate(
            question=Value(question),
            applications=Count("pk"),
            hires=Count("pk", filter=Q(stage=Application.Stage.HIRED)),
        )
        .order_by()
        for question, group in _QUESTIONS.items()
    )
    return {
        (row["question"], row["answer"]): {
            "applications": row["applications"],
            "hires": row["hires"],
        }
        for row in first.union(*others, all=True)
    }
