"""Reads for interviews and trial shifts. HR staff's are narrowed to their organisation in
SQL (404 for anything else); a candidate's to their own applications and requests.
Counts are annotations, so list pages run a fixed number of queries."""

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hub.access import get_for_membership, get_for_owner, scoped
from hub.models import Membership, User
from talent.models import (
    Application,
    InterviewBooking,
    InterviewSlot,
    TrialShiftRequest,
    TrialShiftSlot,
    Vacancy,
)
from talent.services.interviews import ACTIVE_BOOKING

Stage = Application.Stage
TrialStatus = TrialShiftRequest.Status
PUBLIC_STATUSES = (Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED, Vacancy.Status.FILLED)

# What a list of bookings shows of each application.
BOOKING_APPLICATION_FIELDS = (
    "application__id",
    "application__full_name",
    "application__stage",
    "application__anonymised_at",
    "application__vacancy_id",
)


def _with_booked_count(slots: QuerySet[InterviewSlot]) -> QuerySet[InterviewSlot]:
    return slots.annotate(
        booked_count=Count(
            "bookings",
            filter=~Q(bookings__application__stage__in=[Stage.REJECTED, Stage.WITHDRAWN]),
        )
    )


def _active_bookings() -> Prefetch:
    return Prefetch(
        "bookings",
        queryset=InterviewBooking.objects.filter(ACTIVE_BOOKING)
        .select_related("application")
        .only("id", "slot_id", "application_id", "created_at", *BOOKING_APPLICATION_FIELDS)
        .order_by("application__full_name"),
        to_attr="active_bookings",
    )


# --- HR staff: interview slots ----------------------------------------------------------------


def vacancy_interview_slots(vacancy: Vacancy, *, upcoming_only: bool = False) -> QuerySet:
    """The vacancy's interview times, soonest first, each with `booked_count` and its
    `active_bookings` (who is booked)."""
    slots = InterviewSlot.objects.filter(vacancy=vacancy)
    if upcoming_only:
        slots = slots.filter(starts_at__gt=timezone.now())
    return (
        _with_booked_count(slots).prefetch_related(_active_bookings()).order_by("starts_at", "pk")
    )


def interview_slot_for_membership(membership: Membership, slot_id: int) -> InterviewSlot:
    """One of the organisation's interview times with its bookings, or 404."""
    return get_for_membership(
        _with_booked_count(InterviewSlot.objects.all())
        .select_related("vacancy__organisation")
        .defer("vacancy__search_vector")
        .prefetch_related(_active_bookings()),
        membership,
        field="vacancy__organisation",
        pk=slot_id,
    )


def free_interview_slots(
    vacancy: Vacancy, *, excluding: InterviewSlot | None = None
) -> QuerySet[InterviewSlot]:
    """Future interview times of the vacancy with a place left, soonest first."""
    slots = (
        _with_booked_count(
            InterviewSlot.objects.filter(vacancy=vacancy, starts_at__gt=timezone.now())
        )
        .filter(booked_count__lt=F("capacity"))
        .order_by("starts_at", "pk")
    )
    if excluding is not None:
        slots = slots.exclude(pk=excluding.pk)
    return slots


def application_interview(application: Application) -> InterviewBooking | None:
    """The application's interview booking with its time, or None (without a query when
    it was loaded with the application)."""
    if Application.interview.is_cached(application):
        return getattr(application, "interview", None)
    return (
        InterviewBooking.objects.filter(application=application)
        .select_related("slot", "booked_by")
        .first()
    )


def interview_booking_for_membership(membership: Membership, application_id) -> InterviewBooking:
    return get_for_membership(
        InterviewBooking.objects.select_related(
            "slot", "application__vacancy__organisation", "application__vacancy__contact"
        ),
        membership,
        field="application__vacancy__organisation",
        application_id=application_id,
    )


def application_for_interview(membership: Membership, application_id) -> Application:
    """A submitted application to one of the organisation's vacancies, or 404."""
    return get_for_membership(
        Application.objects.exclude(stage=Stage.DRAFT)
        .select_related("vacancy__organisation", "vacancy__contact")
        .defer("vacancy__search_vector"),
        membership,
        field="vacancy__organisation",
        pk=application_id,
    )


# --- HR staff: trial shifts -------------------------------------------------------------------


def _with_request_counts(slots: QuerySet[TrialShiftSlot]) -> QuerySet[TrialShiftSlot]:
    return slots.annotate(
        requested_count=Count("requests", filter=Q(requests__status=TrialStatus.REQUESTED)),
        confirmed_count=Count("requests", filter=Q(requests__status=TrialStatus.CONFIRMED)),
    )


def vacancy_trial_shift_slots(vacancy: Vacancy) -> QuerySet[TrialShiftSlot]:
    """The vacancy's trial shifts, soonest first, with `requested_count`,
    `confirmed_count` and `open_requests` (waiting or confirmed, with the candidate)."""
    return (
        _with_request_counts(TrialShiftSlot.objects.filter(vacancy=vacancy))
        .prefetch_related(
            Prefetch(
                "requests",
                queryset=TrialShiftRequest.objects.filter(
                    status__in=[TrialStatus.REQUESTED, TrialStatus.CONFIRMED]
                )
                .select_related("candidate")
                .only("id", "slot_id", "status", "created_at", "candidate__id", "candidate__name")
                .order_by("created_at"),
                to_attr="open_requests",
            )
        )
        .order_by("starts_at", "pk")
    )


def trial_shift_slot_for_membership(membership: Membership, trial_slot_id: int) -> TrialShiftSlot:
    return get_for_membership(
        _with_request_counts(TrialShiftSlot.objects.all())
        .select_related("vacancy__organisation")
        .defer("vacancy__search_vector"),
        membership,
        field="vacancy__organisation",
        pk=trial_slot_id,
    )


def organisation_trial_shift_requests(
    membership: Membership, *, status: str = "", upcoming_only: bool = False
) -> QuerySet[TrialShiftRequest]:
    """Requests for trial shifts on the organisation's vacancies, soonest shift first."""
    requests = scoped(
        TrialShiftRequest.objects.all(), membership, field="slot__vacancy__organisation"
    ).select_related("slot__vacancy", "candidate")
    if status:
        requests = requests.filter(status=status)
    if upcoming_only:
        requests = requests.filter(slot__starts_at__gt=timezone.now())
    return requests.only(
        "id",
        "status",
        "created_at",
        "slot__id",
        "slot__starts_at",
        "slot__ends_at",
        "slot__vacancy__id",
        "slot__vacancy__title",
        "slot__vacancy__reference",
        "candidate__id",
        "candidate__name",
        "candidate__email",
    ).order_by("slot__starts_at", "created_at", "pk")


def organisation_trial_shift_counts(membership: Membership) -> dict[str, int]:
    """Requests on the organisation's vacancies in each status, and in all, in one query."""
    return scoped(
        TrialShiftRequest.objects.all(), membership, field="slot__vacancy__organisation"
    ).aggregate(
        all=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in TrialStatus.values},
    )


def trial_shift_request_for_membership(
    membership: Membership, trial_request_id
) -> TrialShiftRequest:
    return get_for_membership(
        TrialShiftRequest.objects.select_related(
            "slot__vacancy__organisation", "candidate", "decided_by"
        ).defer("slot__vacancy__search_vector"),
        membership,
        field="slot__vacancy__organisation",
        pk=trial_request_id,
    )


# --- Candidates -------------------------------------------------------------------------------


def candidate_application_for_interview(user: User, application_id) -> Application:
    """The person's own sent application, with its vacancy, or 404."""
    return get_for_owner(
        Application.objects.exclude(stage=Stage.DRAFT).select_related(
            "vacancy__organisation", "vacancy__contact"
        ),
        user,
        field="candidate",
        pk=application_id,
    )


def vacancy_for_trial_shifts(pk: int) -> Vacancy:
    """A public vacancy (live, closed or filled) that offers trial shifts, or 404."""
    vacancy = (
        Vacancy.objects.select_related("organisation")
        .defer("search_vector")
        .filter(pk=pk, status__in=PUBLIC_STATUSES, trial_shift_available=True)
        .first()
    )
    if vacancy is None:
        raise Http404("No such vacancy")
    return vacancy


def open_trial_shift_slots(vacancy: Vacancy) -> QuerySet[TrialShiftSlot]:
    """Future trial shifts of the vacancy with a place not yet confirmed to someone."""
    return (
        _with_request_counts(
            TrialShiftSlot.objects.filter(vacancy=vacancy, starts_at__gt=timezone.now())
        )
        .filter(confirmed_count__lt=F("capacity"))
        .order_by("starts_at", "pk")
    )


def candidate_trial_shift_requests(user: User, *, vacancy: Vacancy | None = None) -> QuerySet:
    """The person's trial-shift requests, soonest shift first."""
    requests = TrialShiftRequest.objects.filter(candidate=user).select_related(
        "slot__vacancy__organisation"
    )
    if vacancy is not None:
        requests = requests.filter(slot__vacancy=vacancy)
    return requests.defer("slot__vacancy__search_vector").order_by("slot__starts_at", "pk")


def candidate_trial_shift_request(user: User, trial_request_id) -> TrialShiftRequest:
    return get_for_owner(
        TrialShiftRequest.objects.select_related(
            "slot__vacancy__organisation", "slot__vacancy__contact"
        ),
        user,
        field="candidate",
        pk=trial_request_id,
    )
