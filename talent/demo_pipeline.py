"""Demo hiring pipeline (issue 4): applications at every stage for the demo vacancies,
interview times next week, and trial shifts on care roles, with a few requests.

Built through the services (applying, `application_move`, interview booking, offers and
checks, trial shifts), so the demo exercises the real rules and writes the real audit
rows and emails. Idempotent: an application is matched on its vacancy and candidate, a
vacancy's interview times and trial shifts are added only when it has none, and a
trial-shift request only when the candidate has none for that shift.

Run after hub.demo.seed_demo (people and organisations) and talent.demo.seed_demo
(vacancies); anything missing is skipped.
"""

from dataclasses import dataclass, field
from datetime import time, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from hub.models import Membership, User
from talent.models import (
    Application,
    InterviewSlot,
    PreEmploymentCheck,
    RejectionReason,
    TrialShiftRequest,
    TrialShiftSlot,
    Vacancy,
)
from talent.selectors.interviews import free_interview_slots
from talent.services import applications as applying
from talent.services import interviews

Stage = Application.Stage
Kind = PreEmploymentCheck.Kind

DEMO_CANDIDATE = "candidate@example.org"

# Fictional candidates (example.org addresses), with their phone and postcode.
CANDIDATES = [
    ("amira.khan@example.org", "Amira Khan", "07700 900101", "LS12 3AB"),
    ("tom.brennan@example.org", "Tom Brennan", "07700 900102", "LS12 4DL"),
    ("grace.okafor@example.org", "Grace Okafor", "07700 900103", "LS9 7TF"),
    ("liam.walsh@example.org", "Liam Walsh", "07700 900104", "LS13 2AA"),
    ("priya.patel@example.org", "Priya Patel", "07700 900105", "LS8 3QS"),
    ("kacper.nowak@example.org", "Kacper Nowak", "07700 900106", "LS11 5BE"),
    ("shannon.hughes@example.org", "Shannon Hughes", "07700 900107", "LS14 1JQ"),
    ("yusuf.ali@example.org", "Yusuf Ali", "07700 900108", "LS7 4HJ"),
    ("megan.clarke@example.org", "Megan Clarke", "07700 900109", "LS12 1DW"),
    ("daniel.osei@example.org", "Daniel Osei", "07700 900110", "LS9 6NL"),
    ("hannah.bell@example.org", "Hannah Bell", "07700 900111", "LS6 2QE"),
]

STATEMENT = (
    "I looked after my grandmother for three years and volunteer at a lunch club in "
    "Armley. I am patient, reliable and I like working in a team."
)


@dataclass
class Spec:
    """One demo application: who, for which vacancy (by reference), how far it goes."""

    vacancy: str
    email: str
    stage: str
    book_interview: bool = False
    fair_route: str = ""
    rejection: str = ""
    extra: dict = field(default_factory=dict)


# The Healthcare Assistant job at Leeds Teaching Hospitals carries every stage; two more
# vacancies have a few applications each. The demo candidate is invited to interview (so
# they can choose a time themselves) and shortlisted for a community role.
APPLICATIONS = [
    Spec("LTH-HCA-0412", "amira.khan@example.org", Stage.SUBMITTED, fair_route="employability"),
    Spec("LTH-HCA-0412", "tom.brennan@example.org", Stage.SCREENING),
    Spec("LTH-HCA-0412", "grace.okafor@example.org", Stage.SHORTLISTED),
    Spec("LTH-HCA-0412", DEMO_CANDIDATE, Stage.INTERVIEW),
    Spec("LTH-HCA-0412", "liam.walsh@example.org", Stage.INTERVIEW, book_interview=True),
    Spec("LTH-HCA-0412", "priya.patel@example.org", Stage.INTERVIEW, book_interview=True),
    Spec("LTH-HCA-0412", "kacper.nowak@example.org", Stage.OFFER),
    Spec("LTH-HCA-0412", "shannon.hughes@example.org", Stage.PRE_EMPLOYMENT),
    Spec("LTH-HCA-0412", "yusuf.ali@example.org", Stage.HIRED),
    Spec(
        "LTH-HCA-0412",
        "megan.clarke@example.org",
        Stage.REJECTED,
        rejection=RejectionReason.NOT_ESSENTIAL,
    ),
    Spec("LTH-HCA-0412", "daniel.osei@example.org", Stage.WITHDRAWN),
    Spec("LTH-POR-0120", "hannah.bell@example.org", Stage.INTERVIEW, book_interview=True),
    Spec("LTH-POR-0120", "tom.brennan@example.org", Stage.SUBMITTED),
    Spec("LCH-HCSW-0105", DEMO_CANDIDATE, Stage.SHORTLISTED),
    Spec("LCH-HCSW-0105", "grace.okafor@example.org", Stage.SCREENING),
]

# Interview days next week: vacancy reference, weekday (0 Monday), first start, count,
# minutes, break, place or video link.
INTERVIEW_DAYS = [
    (
        "LTH-HCA-0412",
        1,
        time(9, 30),
        6,
        45,
        15,
        {"location": "Seminar room 2, Bexley Wing, St James's University Hospital, LS9 7TF"},
    ),
    (
        "LTH-HCA-0412",
        3,
        time(13, 0),
        4,
        30,
        0,
        {"video_link": "https://teams.microsoft.com/l/meetup-join/demo-hca-interviews"},
    ),
    (
        "LTH-POR-0120",
        2,
        time(10, 0),
        4,
        30,
        10,
        {"location": "Facilities office, Gledhow Wing, St James's University Hospital, LS9 7TF"},
    ),
    (
        "LCH-HCSW-0105",
        4,
        time(9, 0),
        5,
        40,
        10,
        {"location": "Stockdale House, 8 Victoria Road, Headingley, LS6 1PF"},
    ),
]

# Trial shifts on care roles: vacancy reference, days from today, start, hours, places, place.
TRIAL_SHIFTS = [
    ("LCC-SC-2231", 5, time(8, 0), 4, 2, "Siegen Manor, Cleavesty Lane, Morley, LS27 9AU"),
    ("LCC-SC-2231", 8, time(14, 0), 4, 2, "Siegen Manor, Cleavesty Lane, Morley, LS27 9AU"),
    ("LCC-SC-2240", 6, time(9, 0), 5, 1, "Community Support Team, Armley One Stop, LS12 2TE"),
    ("LCC-APP-0050", 9, time(9, 30), 4, 2, "Merrion House, 110 Merrion Centre, LS2 8BB"),
    ("LTH-POR-0120", 4, time(7, 0), 5, 1, "Portering hub, Lincoln Wing, St James's, LS9 7TF"),
]

# Trial-shift requests: vacancy reference, which of its shifts (index), candidate, confirm?
TRIAL_REQUESTS = [
    ("LCC-SC-2231", 0, DEMO_CANDIDATE, True),
    ("LCC-SC-2231", 0, "amira.khan@example.org", False),
    ("LCC-SC-2240", 0, "megan.clarke@example.org", False),
    ("LTH-POR-0120", 0, "hannah.bell@example.org", True),
]

HR_PEOPLE = {
    "Leeds Teaching Hospitals NHS Trust": "hr.lth@example.org",
    "Leeds Community Healthcare NHS Trust": "admin.council@example.org",
    "Leeds City Council": "admin.council@example.org",
}


def _candidate(email: str) -> User | None:
    user = User.objects.filter(email=email).first()
    if user is not None or email == DEMO_CANDIDATE:
        return user
    from hub.demo import DEMO_PASSWORD

    name, phone, postcode = next((n, p, c) for e, n, p, c in CANDIDATES if e == email)
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    applying.candidate_profile_update(
        user=user, phone=phone, postcode=postcode, right_to_work="yes"
    )
    return user


def _hr(vacancy: Vacancy) -> tuple[User, Membership] | tuple[None, None]:
    email = HR_PEOPLE.get(vacancy.organisation.name)
    membership = (
        Membership.objects.filter(user__email=email, organisation=vacancy.organisation)
        .select_related("user")
        .first()
        if email
        else None
    )
    return (membership.user, membership) if membership else (None, None)


def _vacancies() -> dict[str, Vacancy]:
    references = (
        {s.vacancy for s in APPLICATIONS}
        | {d[0] for d in INTERVIEW_DAYS}
        | {t[0] for t in TRIAL_SHIFTS}
    )
    return {
        v.reference: v
        for v in Vacancy.objects.filter(reference__in=references).select_related(
            "organisation", "contact"
        )
    }


def _next_week(weekday: int):
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    return monday + timedelta(days=weekday)


def _seed_interview_days(vacancies, counts) -> None:
    for reference, weekday, first_start, count, minutes, gap, place in INTERVIEW_DAYS:
        vacancy = vacancies.get(reference)
        if vacancy is None:
            continue
        hr, _ = _hr(vacancy)
        day = _next_week(weekday)
        if (
            hr is None
            or InterviewSlot.objects.filter(vacancy=vacancy, starts_at__date=day).exists()
        ):
            continue
        slots = interviews.interview_slots_create_series(
            vacancy=vacancy,
            actor=hr,
            day=day,
            first_start=first_start,
            count=count,
            minutes=minutes,
            gap_minutes=gap,
            notes="Please bring photo ID and proof of your right to work in the UK.",
            **place,
        )
        counts["interview_slots"] += len(slots)


def _answers(vacancy: Vacancy) -> dict:
    return {
        question.pk: "I would treat people as I would want my own family to be treated."
        for question in vacancy.questions.all()
    }


def _apply(vacancy: Vacancy, candidate: User, spec: Spec) -> Application | None:
    existing = Application.objects.filter(vacancy=vacancy, candidate=candidate).first()
    if existing is not None and not existing.is_draft:
        return None
    if not vacancy.is_live:
        return None
    application = existing or applying.application_start(vacancy=vacancy, candidate=candidate)
    details = {
        "full_name": candidate.name,
        "phone": getattr(getattr(candidate, "candidate_profile", None), "phone", "")
        or "07700 900100",
        "postcode": getattr(getattr(candidate, "candidate_profile", None), "postcode", ""),
        "supporting_statement": STATEMENT,
        "right_to_work": "yes",
        "source": Application.Source.CAMPAIGN if spec.fair_route else "job_search",
    }
    if spec.fair_route and "fair_route" in applying.APPLICATION_DETAIL_FIELDS:
        details["fair_route"] = spec.fair_route
    return applying.application_submit(
        application=application, actor=candidate, details=details, answers=_answers(vacancy)
    )


def _move(application, to_stage, hr, membership, **kwargs):
    from talent.services.pipeline import application_move

    return application_move(
        application=application, to_stage=to_stage, actor=hr, membership=membership, **kwargs
    )


def _offers():
    try:
        from talent.services import offers
    except ImportError:  # the offers part is not there yet
        return None
    return offers


def _take_forward(application, spec: Spec, hr, membership, counts) -> None:
    """Move the application along the pipeline to the spec's stage, through the services."""
    target = spec.stage
    if target == Stage.SUBMITTED:
        return
    if target == Stage.WITHDRAWN:
        _move(application, Stage.SCREENING, hr, membership)
        applying.application_withdraw(
            application=application, actor=application.candidate, reason="I took another job."
        )
        return
    if target == Stage.REJECTED:
        _move(application, Stage.SCREENING, hr, membership)
        _move(
            application,
            Stage.REJECTED,
            hr,
            membership,
            rejection_reason=spec.rejection or RejectionReason.OTHERS_STRONGER,
        )
        return
    path = [Stage.SCREENING, Stage.SHORTLISTED, Stage.INTERVIEW]
    for stage in path:
        _move(application, stage, hr, membership)
        if stage == target:
            break
    if target == Stage.INTERVIEW:
        if spec.book_interview:
            slot = free_interview_slots(application.vacancy).first()
            if slot is not None:
                interviews.interview_book(
                    application=application, slot=slot, actor=application.candidate
                )
                counts["interview_bookings"] += 1
        return
    offers = _offers()
    if offers is None or target not in {Stage.OFFER, Stage.PRE_EMPLOYMENT, Stage.HIRED}:
        return
    offers.offer_make_conditional(
        application=application,
        actor=hr,
        membership=membership,
        terms="Band 3, £24,937 a year pro rata, 37.5 hours a week on a rota including nights "
        "and weekends. Subject to satisfactory pre-employment checks.",
    )
    counts["offers"] += 1
    if target == Stage.OFFER:
        return
    today = timezone.localdate()
    kinds = list(Kind) if target == Stage.HIRED else [Kind.IDENTITY, Kind.RIGHT_TO_WORK]
    for kind in kinds:
        offers.check_record(
            application=application,
            actor=hr,
            membership=membership,
            kind=kind,
            outcome=(
                PreEmploymentCheck.Outcome.NOT_NEEDED
                if kind == Kind.REGISTRATION
                else PreEmploymentCheck.Outcome.PASSED
            ),
            checked_on=today,
            detail="Enhanced DBS with adult barred list" if kind == Kind.DBS else "",
        )
    if target == Stage.PRE_EMPLOYMENT:
        return
    offers.offer_make_unconditional(application=application, actor=hr, membership=membership)
    offers.application_hire(
        application=application,
        actor=hr,
        membership=membership,
        start_date=today + timedelta(days=28),
    )


def _seed_applications(vacancies, counts) -> None:
    for spec in APPLICATIONS:
        vacancy = vacancies.get(spec.vacancy)
        candidate = _candidate(spec.email)
        if vacancy is None or candidate is None:
            continue
        hr, membership = _hr(vacancy)
        if hr is None:
            continue
        application = _apply(vacancy, candidate, spec)
        if application is None:
            continue
        counts["applications"] += 1
        _take_forward(application, spec, hr, membership, counts)


def _seed_trial_shifts(vacancies, counts) -> None:
    today = timezone.localdate()
    for reference, days, start, hours, places, location in TRIAL_SHIFTS:
        vacancy = vacancies.get(reference)
        if vacancy is None or not vacancy.trial_shift_available:
            continue
        hr, _ = _hr(vacancy)
        day = today + timedelta(days=days)
        if (
            hr is None
            or TrialShiftSlot.objects.filter(vacancy=vacancy, starts_at__date=day).exists()
        ):
            continue
        starts_at = interviews.london_datetime(day, start)
        interviews.trial_shift_slot_create(
            vacancy=vacancy,
            actor=hr,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            location=location,
            capacity=places,
            notes="Wear comfortable shoes. Ask for the shift lead at reception.",
        )
        counts["trial_shifts"] += 1
    for reference, index, email, confirm in TRIAL_REQUESTS:
        vacancy = vacancies.get(reference)
        candidate = _candidate(email)
        if vacancy is None or candidate is None or not vacancy.is_live:
            continue
        slots = list(
            TrialShiftSlot.objects.filter(vacancy=vacancy, starts_at__gt=timezone.now()).order_by(
                "starts_at"
            )
        )
        if len(slots) <= index:
            continue
        slot = slots[index]
        if TrialShiftRequest.objects.filter(slot=slot, candidate=candidate).exists():
            continue
        trial_request = interviews.trial_shift_request_create(
            slot=slot,
            candidate=candidate,
            phone="07700 900100",
            message="I have never worked in care and would like to see what a shift is like.",
        )
        counts["trial_shift_requests"] += 1
        hr, _ = _hr(vacancy)
        if confirm and hr is not None:
            interviews.trial_shift_request_confirm(trial_request=trial_request, actor=hr)


@transaction.atomic
def seed_demo() -> dict:
    counts = {
        "applications": 0,
        "interview_slots": 0,
        "interview_bookings": 0,
        "offers": 0,
        "trial_shifts": 0,
        "trial_shift_requests": 0,
    }
    vacancies = _vacancies()
    _seed_interview_days(vacancies, counts)
    _seed_trial_shifts(vacancies, counts)
    _seed_applications(vacancies, counts)
    return counts
