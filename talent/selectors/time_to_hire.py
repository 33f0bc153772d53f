"""Time to hire, computed in SQL from the stage history.

Each StageChange opens a span of time in its `to_stage`; the span ends at the
application's next change (found by a correlated subquery over the application's own
changes, ordered by time) or, for the stage the application is in now, at `now`. Days in a
stage are the length of its spans; medians use PostgreSQL's `percentile_cont`, averages
`avg`, both over the spans of every application that passed through the stage. Days from
the vacancy's closing date to the unconditional offer are whole days (the offer's date in
the portal's time zone less the closing date, never below 0).

Targets are the organisation's HiringTargets, or the model's defaults when it has none
(the NHS measures time to hire against 8 weeks, 56 days). An open application is
"overdue" when it is over a target (the days in its current stage, or, before an
unconditional offer, the days since the closing date against the overall target), "due"
when within `due_within_days` of one, and "on_track" otherwise; once the offer is
unconditional the clock has stopped and it is on track.

`now` is taken from Python (`timezone.now()`), never from the database, so tests place
time with time_machine.
"""

from collections.abc import Iterable

from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncDate
from django.utils import timezone

from hub.models import Organisation
from talent.models import Application, HiringTargets, StageChange, Vacancy

Stage = Application.Stage

# The stages the clock runs in, each with its target's field on HiringTargets.
STAGE_TARGET_FIELDS = {
    Stage.SUBMITTED: "submitted_days",
    Stage.SCREENING: "screening_days",
    Stage.SHORTLISTED: "shortlisted_days",
    Stage.INTERVIEW: "interview_days",
    Stage.OFFER: "offer_days",
    Stage.PRE_EMPLOYMENT: "pre_employment_days",
}
TIMED_STAGES = tuple(STAGE_TARGET_FIELDS)
OVERALL_TARGET_FIELD = "closing_to_unconditional_days"

ON_TRACK, DUE, OVERDUE = "on_track", "due", "overdue"
STATUS_LABELS = {ON_TRACK: "On track", DUE: "Due", OVERDUE: "Overdue"}


class Median(Aggregate):
    """PostgreSQL's continuous median of its expression (NULLs are left out)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class Days(Func):
    """The length of an interval, in days with their fraction."""

    template = "(EXTRACT(EPOCH FROM %(expressions)s) / 86400.0)::double precision"
    output_field = FloatField()


class DateDifference(Func):
    """Whole days from the second date to the first (PostgreSQL `date - date`)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


def hiring_targets(organisation: Organisation) -> HiringTargets:
    """The organisation's targets, or an unsaved set with the defaults (without a query
    when they were loaded with the organisation)."""
    if Organisation.hiring_targets.is_cached(organisation):
        return getattr(organisation, "hiring_targets", None) or HiringTargets(
            organisation=organisation
        )
    return HiringTargets.objects.filter(organisation=organisation).first() or HiringTargets(
        organisation=organisation
    )


# --- Expressions ---------------------------------------------------------------------------


def _span_days(now):
    """For a StageChange row: the days from it to the application's next change, or to
    `now` when it is the latest (the stage the application is in)."""
    following = (
        StageChange.objects.filter(application_id=OuterRef("application_id"))
        .filter(
            Q(created_at__gt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    return Days(Coalesce(Subquery(following), Value(now)) - F("created_at"))


def closing_to_unconditional(prefix: str = ""):
    """For an Application row (or, with `prefix="application__"`, a StageChange row): whole
    days from the vacancy's closing date to the unconditional offer; NULL without one."""
    days = DateDifference(
        TruncDate(f"{prefix}offer__unconditional_at"), F(f"{prefix}vacancy__closing_date")
    )
    # GREATEST skips NULLs, so the offer's absence is kept apart.
    return Case(
        When(**{f"{prefix}offer__unconditional_at__isnull": True}, then=Value(None)),
        default=Greatest(days, Value(0)),
        output_field=IntegerField(),
    )


def _spans(now, **filters) -> QuerySet[StageChange]:
    return StageChange.objects.filter(to_stage__in=TIMED_STAGES, **filters).annotate(
        span_days=_span_days(now)
    )


def _figures(prefix: str = "") -> dict:
    """Median, average and count of the annotated `span_days`, per timed stage, for a
    StageChange queryset (each aggregate FILTERed to its stage)."""
    figures = {}
    for stage in TIMED_STAGES:
        in_stage = Q(to_stage=stage)
        figures[f"{prefix}median_{stage}"] = Median("span_days", filter=in_stage)
        figures[f"{prefix}average_{stage}"] = Avg("span_days", filter=in_stage)
        figures[f"{prefix}count_{stage}"] = Count("application_id", distinct=True, filter=in_stage)
    return figures


def _closing_figures() -> dict:
    return {
        "closing_median": Median("closing_days"),
        "closing_average": Avg("closing_days"),
        "closing_count": Count("pk"),
    }


def _target(field: str, organisation: Organisation):
    """The organisation's target in SQL: its own value, or the model's default."""
    default = HiringTargets._meta.get_field(field).default
    return Coalesce(
        Subquery(HiringTargets.objects.filter(organisation=organisation).values(field)[:1]),
        Value(default),
    )


def _with_status(applications: QuerySet[Application], organisation: Organisation, now):
    """Annotate `time_status` (on_track, due or overdue) on open applications in a timed
    stage, all in SQL."""
    entered = Coalesce(
        Subquery(
            StageChange.objects.filter(application_id=OuterRef("pk"), to_stage=OuterRef("stage"))
            .order_by("-created_at", "-pk")
            .values("created_at")[:1]
        ),
        F("stage_changed_at"),
    )
    stage_target = Case(
        *[
            When(stage=stage, then=_target(field, organisation))
            for stage, field in STAGE_TARGET_FIELDS.items()
        ],
        output_field=IntegerField(),
    )
    return (
        applications.filter(stage__in=TIMED_STAGES)
        .alias(
            stage_days=Days(Value(now) - entered),
            stage_target=stage_target,
            closing_days=DateDifference(Value(timezone.localdate(now)), F("vacancy__closing_date")),
            overall_target=_target(OVERALL_TARGET_FIELD, organisation),
            due_within=_target("due_within_days", organisation),
        )
        .annotate(
            time_status=Case(
                When(offer__unconditional_at__isnull=False, then=Value(ON_TRACK)),
                When(
                    Q(stage_days__gt=F("stage_target")) | Q(closing_days__gt=F("overall_target")),
                    then=Value(OVERDUE),
                ),
                When(
                    Q(stage_days__gte=F("stage_target") - F("due_within"))
                    | Q(closing_days__gte=F("overall_target") - F("due_within")),
                    then=Value(DUE),
                ),
                default=Value(ON_TRACK),
            )
        )
    )


# --- Statuses for the pipeline -------------------------------------------------------------


def application_statuses(
    applications: Iterable[Application] | QuerySet[Application], organisation: Organisation
) -> dict:
    """{application id: "on_track" | "due" | "overdue"} for the open applications among
    `applications` (in a timed stage; others are left out), in one query whatever their
    number. `applications` is a queryset, or applications or their ids."""
    if isinstance(applications, QuerySet):
        chosen = Application.objects.filter(pk__in=applications.values("pk"))
    else:
        ids = [getattr(application, "pk", application) for application in applications]
        if not ids:
            return {}
        chosen = Application.objects.filter(pk__in=ids)
    now = timezone.now()
    return dict(_with_status(chosen, organisation, now).values_list("pk", "time_status"))


# --- Reports -------------------------------------------------------------------------------


def _stage_rows(figures: dict, targets: HiringTargets, prefix: str = "") -> list[dict]:
    rows = []
    for stage, field in STAGE_TARGET_FIELDS.items():
        median = figures.get(f"{prefix}median_{stage}")
        target = getattr(targets, field)
        rows.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "target": target,
                "median": median,
                "average": figures.get(f"{prefix}average_{stage}"),
                "count": figures.get(f"{prefix}count_{stage}") or 0,
                "over_target": median is not None and median > target,
            }
        )
    return rows


def _closing_row(figures: dict, targets: HiringTargets) -> dict:
    median = figures.get("closing_median")
    target = getattr(targets, OVERALL_TARGET_FIELD)
    return {
        "target": target,
        "median": median,
        "average": figures.get("closing_average"),
        "count": figures.get("closing_count") or 0,
        "over_target": median is not None and median > target,
    }


def _status_figures() -> dict:
    return {status: Count("pk", filter=Q(time_status=status)) for status in STATUS_LABELS}


def _status_counts(applications: QuerySet[Application], organisation, now):
    return _with_status(applications, organisation, now).aggregate(**_status_figures())


def _total_and_by_vacancy(queryset: QuerySet, vacancy_field: str, figures: dict):
    """(`figures` over the whole queryset, {vacancy id: figures}) in one query: a UNION
    ALL of the total (its vacancy NULL) and the figures grouped by vacancy."""
    total = queryset.values(group_vacancy=Cast(Value(None), IntegerField())).annotate(**figures)
    grouped = queryset.values(group_vacancy=F(vacancy_field)).annotate(**figures)
    rows = total.order_by().union(grouped.order_by(), all=True)
    by_vacancy = {row.pop("group_vacancy"): row for row in rows}
    return by_vacancy.pop(None, {}), by_vacancy


def _report(figures: dict, closing: dict, statuses: dict, targets: HiringTargets) -> dict:
    return {
        "stages": _stage_rows(figures, targets),
        "closing_to_unconditional": _closing_row(closing, targets),
        "statuses": {status: statuses.get(status) or 0 for status in STATUS_LABELS},
    }


def application_stage_days(applications: QuerySet[Application]) -> dict:
    """{application id: {"stages": {stage: days}, "closing_to_unconditional": days or
    None}} for applications with a stage history, in one query."""
    now = timezone.now()
    rows = (
        _spans(now, application__in=applications)
        .values("application_id")
        .annotate(
            **{stage: Sum("span_days", filter=Q(to_stage=stage)) for stage in TIMED_STAGES},
            closing_to_unconditional=Max(closing_to_unconditional("application__")),
        )
        .order_by()
    )
    return {
        row["application_id"]: {
            "stages": {stage: row[stage] for stage in TIMED_STAGES if row[stage] is not None},
            "closing_to_unconditional": row["closing_to_unconditional"],
        }
        for row in rows
    }


def application_time_to_hire(application: Application) -> dict:
    """One application's days in each stage and closing → unconditional offer, with its
    status and its organisation's targets."""
    organisation = application.vacancy.organisation
    times = application_stage_days(Application.objects.filter(pk=application.pk)).get(
        application.pk, {"stages": {}, "closing_to_unconditional": None}
    )
    targets = hiring_targets(organisation)
    return {
        "targets": targets,
        "stages": [
            {
                "stage": stage,
                "label": Stage(stage).label,
                "days": times["stages"][stage],
                "target": getattr(targets, field),
            }
            for stage, field in STAGE_TARGET_FIELDS.items()
            if stage in times["stages"]
        ],
        "closing_to_unconditional": times["closing_to_unconditional"],
        "overall_target": getattr(targets, OVERALL_TARGET_FIELD),
        "status": application_statuses([application.pk], organisation).get(application.pk),
    }


def vacancy_time_to_hire(vacancy: Vacancy) -> dict:
    """A vacancy's time to hire: per stage the median and average days against the
    target, closing date → unconditional offer likewise, how many open applications are
    on track, due and overdue, and each application's own figures."""
    organisation = vacancy.organisation
    targets = hiring_targets(organisation)
    now = timezone.now()
    applications = Application.objects.filter(vacancy=vacancy).exclude(stage=Stage.DRAFT)
    figures = _spans(now, application__vacancy=vacancy).aggregate(**_figures())
    closing = (
        applications.filter(offer__unconditional_at__isnull=False)
        .annotate(closing_days=closing_to_unconditional())
        .aggregate(**_closing_figures())
    )
    statuses = _status_counts(applications, organisation, now)
    return {
        "vacancy": vacancy,
        "targets": targets,
        **_report(figures, closing, statuses, targets),
        "applications": application_stage_days(applications),
    }


def organisation_time_to_hire(organisation: Organisation) -> dict:
    """The organisation's time to hire, over all its vacancies, and the same for each
    vacancy that has applications (newest closing date first), in a fixed number of
    queries whatever the number of vacancies and applications."""
    targets = hiring_targets(organisation)
    now = timezone.now()
    applications = Application.objects.filter(vacancy__organisation=organisation).exclude(
        stage=Stage.DRAFT
    )
    spans = _spans(now, application__vacancy__organisation=organisation)
    with_offer = applications.filter(offer__unconditional_at__isnull=False).annotate(
        closing_days=closing_to_unconditional()
    )
    figures, by_vacancy = _total_and_by_vacancy(spans, "application__vacancy_id", _figures())
    closing, closing_by_vacancy = _total_and_by_vacancy(
        with_offer, "vacancy_id", _closing_figures()
    )
    statuses, statuses_by_vacancy = _total_and_by_vacancy(
        _with_status(applications, organisation, now), "vacancy_id", _status_figures()
    )
    overall = _report(figures, closing, statuses, targets)
    vacancies = (
        Vacancy.objects.filter(organisation=organisation)
        .annotate(applications_count=Count("applications", filter=~Q(applications__stage="draft")))
        .filter(applications_count__gt=0)
        .only("id", "title", "reference", "status", "closing_date", "organisation_id")
        .order_by("-closing_date", "title")
    )
    rows = [
        {
            "vacancy": vacancy,
            "applications": vacancy.applications_count,
            **_report(
                by_vacancy.get(vacancy.pk, {}),
                closing_by_vacancy.get(vacancy.pk, {}),
                statuses_by_vacancy.get(vacancy.pk, {}),
                targets,
            ),
        }
        for vacancy in vacancies
    ]
    return {"organisation": organisation, "targets": targets, **overall, "vacancies": rows}
