"""Reads for HR staff: their organisation's vacancies with application counts, and each
vacancy's applications. Every queryset is narrowed to the member's organisation in SQL;
drafts of applications belong to the candidate and are never counted or shown."""

from django.db.models import Count, Prefetch, Q, QuerySet

from hub.access import get_for_membership, scoped
from hub.models import Membership
from talent.models import Application, ApplicationAnswer, Vacancy

Stage = Application.Stage
SUBMITTED = ~Q(stage=Stage.DRAFT)

# What recruiters need to list applicants: nothing from the monitoring answers, nothing
# from the CV, the statement or the address.
APPLICATION_LIST_FIELDS = (
    "id",
    "vacancy_id",
    "full_name",
    "stage",
    "submitted_at",
    "stage_changed_at",
    "anonymised_at",
    "created_at",
)


def organisation_vacancies(
    membership: Membership, *, status: str = "", query: str = ""
) -> QuerySet[Vacancy]:
    """The organisation's vacancies, newest first, each with `applications_count` (submitted
    applications, counted in SQL), optionally of one status and matching a title search."""
    vacancies = (
        scoped(Vacancy.objects.all(), membership)
        .select_related("staff_group")
        .defer("search_vector", "description", "essential_criteria", "desirable_criteria")
        .annotate(
            applications_count=Count("applications", filter=~Q(applications__stage=Stage.DRAFT))
        )
    )
    if status:
        vacancies = vacancies.filter(status=status)
    if query:
        vacancies = vacancies.filter(
            Q(title__icontains=query.strip()) | Q(reference__iexact=query.strip())
        )
    return vacancies.order_by("-created_at", "-pk")


def organisation_vacancy_counts(membership: Membership, *, query: str = "") -> dict[str, int]:
    """How many of the organisation's vacancies are in each status, and in all, in one
    query: {"all": 12, "draft": 3, ...}."""
    vacancies = scoped(Vacancy.objects.all(), membership)
    if query:
        vacancies = vacancies.filter(
            Q(title__icontains=query.strip()) | Q(reference__iexact=query.strip())
        )
    return vacancies.aggregate(
        all=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in Vacancy.Status.values},
    )


def vacancy_for_membership(membership: Membership, pk: int) -> Vacancy:
    """One of the organisation's vacancies with what its pages show, or 404."""
    return get_for_membership(
        Vacancy.objects.select_related(
            "organisation", "staff_group", "contact", "created_by"
        ).defer("search_vector"),
        membership,
        pk=pk,
    )


def vacancy_applications(vacancy: Vacancy, *, stage: str = "") -> QuerySet[Application]:
    """The vacancy's submitted applications (never drafts), newest first, with only the
    fields a list of applicants shows."""
    applications = (
        Application.objects.filter(vacancy=vacancy).filter(SUBMITTED).only(*APPLICATION_LIST_FIELDS)
    )
    if stage:
        applications = applications.filter(stage=stage)
    return applications.order_by("-submitted_at", "-created_at")


def vacancy_stage_counts(vacancy: Vacancy) -> dict[str, int]:
    """Submitted applications of the vacancy in each stage, and in all, in one query."""
    return Application.objects.filter(vacancy=vacancy).aggregate(
        all=Count("pk", filter=SUBMITTED),
        **{
            stage: Count("pk", filter=Q(stage=stage))
            for stage in Stage.values
            if stage != Stage.DRAFT
        },
    )


def _submitted_applications(*related: str) -> QuerySet[Application]:
    return (
        Application.objects.filter(SUBMITTED)
        .select_related("vacancy", "vacancy__organisation", *related)
        .defer("vacancy__search_vector")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=ApplicationAnswer.objects.select_related("question").order_by(
                    "question__position", "question_id"
                ),
            )
        )
    )


def application_for_membership(membership: Membership, application_id) -> Application:
    """A submitted application to one of the organisation's vacancies, with its answers
    to the screening questions, or 404. The equality monitoring answers are not loaded:
    recruiters never see them."""
    return get_for_membership(
        _submitted_applications(), membership, field="vacancy__organisation", pk=application_id
    )


def application_page_for_membership(membership: Membership, application_id) -> Application:
    """The same, with what the application's page shows beside it loaded in the same
    query (its interview, its offer, the organisation's hiring targets), so the page
    stays within its query budget."""
    return get_for_membership(
        _submitted_applications(
            "interview__slot",
            "interview__booked_by",
            "offer__conditional_by",
            "offer__unconditional_by",
            "vacancy__organisation__hiring_targets",
        ),
        membership,
        field="vacancy__organisation",
        pk=application_id,
    )
