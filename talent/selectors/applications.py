"""Reads for applying and the candidate's own area: every query is narrowed to the
signed-in person, so another candidate's things answer 404."""

from allauth.account.models import EmailAddress
from django.db.models import Case, CharField, Prefetch, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from hub.access import get_for_owner
from hub.models import User
from talent.models import (
    Application,
    ApplicationAnswer,
    CandidateProfile,
    SavedSearch,
    StageChange,
    Vacancy,
)

Stage = Application.Stage

# The stage as the candidate reads it, and the colour of its NHS.UK tag.
CANDIDATE_STAGES = {
    Stage.DRAFT: ("Draft: not sent", "nhsuk-tag--grey"),
    Stage.SUBMITTED: ("Received", "nhsuk-tag--blue"),
    Stage.SCREENING: ("Being reviewed", "nhsuk-tag--blue"),
    Stage.SHORTLISTED: ("Shortlisted", "nhsuk-tag--aqua-green"),
    Stage.INTERVIEW: ("Invited to interview", "nhsuk-tag--aqua-green"),
    Stage.OFFER: ("Offered the job", "nhsuk-tag--green"),
    Stage.PRE_EMPLOYMENT: ("Pre-employment checks", "nhsuk-tag--green"),
    Stage.HIRED: ("Hired", "nhsuk-tag--green"),
    Stage.REJECTED: ("Unsuccessful", "nhsuk-tag--red"),
    Stage.WITHDRAWN: ("Withdrawn", "nhsuk-tag--grey"),
}


def _stage_words(field: str) -> dict:
    """`<field>_label` and `<field>_tag` annotations: the stage in the candidate's words."""
    return {
        f"{field}_label": Case(
            *[
                When(**{field: stage}, then=Value(label))
                for stage, (label, _) in CANDIDATE_STAGES.items()
            ],
            default=Value(""),
            output_field=CharField(),
        ),
        f"{field}_tag": Case(
            *[
                When(**{field: stage}, then=Value(tag))
                for stage, (_, tag) in CANDIDATE_STAGES.items()
            ],
            default=Value(""),
            output_field=CharField(),
        ),
    }


def email_is_verified(user: User) -> bool:
    """Has the person confirmed their account's email address (allauth)?"""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def vacancy_to_apply_for(pk: int) -> Vacancy:
    """A vacancy that is or was public, with its organisation and questions. Closed ones
    are returned too, so the page can say the job has closed; drafts answer 404."""
    return get_object_or_404(
        Vacancy.objects.filter(
            status__in=[Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED, Vacancy.Status.FILLED]
        )
        .select_related("organisation")
        .prefetch_related("questions"),
        pk=pk,
    )


def candidate_application_for_vacancy(*, user: User, vacancy: Vacancy) -> Application | None:
    return (
        Application.objects.filter(vacancy=vacancy, candidate=user)
        .select_related("monitoring")
        .prefetch_related("answers")
        .first()
    )


def candidate_profile(user: User) -> CandidateProfile:
    """The person's profile, or an unsaved empty one."""
    return CandidateProfile.objects.filter(user=user).first() or CandidateProfile(user=user)


def candidate_applications(user: User) -> QuerySet[Application]:
    """The person's applications, drafts first, then newest sent first."""
    return (
        Application.objects.filter(candidate=user)
        .select_related("vacancy__organisation")
        .annotate(**_stage_words("stage"))
        .order_by("-submitted_at", "-created_at")
    )


def candidate_application(user: User, application_id) -> Application:
    """One of the person's applications with what they sent and its history, or 404."""
    queryset = (
        Application.objects.select_related("vacancy__organisation")
        .annotate(**_stage_words("stage"))
        .prefetch_related(
            Prefetch("answers", queryset=ApplicationAnswer.objects.select_related("question")),
            Prefetch(
                "history",
                queryset=StageChange.objects.annotate(**_stage_words("to_stage")),
            ),
        )
    )
    return get_for_owner(queryset, user, field="candidate", pk=application_id)


def candidate_saved_searches(user: User) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("-active", "-created_at")


def candidate_saved_search(user: User, saved_search_id) -> SavedSearch:
    return get_for_owner(SavedSearch.objects.all(), user, field="user", pk=saved_search_id)


def saved_search_for_token(token: str) -> SavedSearch:
    """The alert an unsubscribe link names, or 404."""
    return get_object_or_404(SavedSearch.objects.select_related("user"), unsubscribe_token=token)
