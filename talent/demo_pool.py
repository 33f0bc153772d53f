"""Demo talent pool: a handful of the demo candidates in the pool with different
working-pattern needs, one who joined after an unsuccessful application, one who left,
and an invitation from Leeds Teaching Hospitals to the demo candidate (Casey Morgan,
candidate@example.org), who sees it under "Invitations to apply" in their account.

Built through the pool services, so consent is recorded as a candidate gives it and the
invitation's email goes through the outbox. Idempotent: a person who already has a
profile is left alone, and an invitation is sent only once. Runs after the hub, vacancy
and pipeline demos (people, vacancies, the rejected application); anything missing is
skipped.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hub.models import Membership, User
from talent.models import PoolInvitation, StaffGroup, TalentPoolProfile, Vacancy
from talent.services import pool as services

LTHT = "Leeds Teaching Hospitals NHS Trust"
LTHT_HR = "hr.lth@example.org"

# email: the profile (staff group slugs, needs, starting in so many days, or now), whether
# they came from the offer in a rejection email, and whether they left again.
PROFILES = {
    "candidate@example.org": {
        "headline": "Care worker looking for a first job in a hospital",
        "skills": "Two years as a home care worker: personal care, medication prompting, "
        "dementia care and moving and handling. Care Certificate. First aid at work.",
        "groups": ["additional-clinical-services", "social-care"],
        "postcode_district": "LS12",
        "no_nights": True,
        "max_hours_per_week": 30,
    },
    "megan.clarke@example.org": {
        "headline": "Volunteer at a lunch club, keen to start in care",
        "skills": "Volunteering with older people every week for a year: serving meals, "
        "chatting, helping people get about. Good with people living with dementia.",
        "groups": ["social-care"],
        "postcode_district": "LS12",
        "no_weekends": True,
        "term_time_only": True,
        "max_hours_per_week": 20,
        "available_in": 14,
        "from_rejection": True,
    },
    "grace.okafor@example.org": {
        "headline": "Healthcare assistant with three years on surgical wards",
        "skills": "Observations, wound care under supervision, catheter care, "
        "venepuncture. Care Certificate and NVQ level 3 in health and social care.",
        "groups": ["additional-clinical-services", "nursing-and-midwifery"],
        "postcode_district": "LS9",
    },
    "amira.khan@example.org": {
        "headline": "Receptionist moving into health: administration and customer service",
        "skills": "Five years on reception at a busy gym: bookings, phone calls, "
        "complaints, cash handling. Confident with computers and Microsoft Office.",
        "groups": ["admin-and-clerical"],
        "postcode_district": "LS12",
        "no_nights": True,
        "available_in": 28,
    },
    "daniel.osei@example.org": {
        "headline": "Porter and driver, happy on any shift",
        "skills": "Warehouse work, forklift licence, full driving licence.",
        "groups": ["estates-and-facilities"],
        "postcode_district": "LS9",
        "leaves": True,
    },
}

INVITATION = {
    "to": "candidate@example.org",
    "vacancy": "LTH-BANK-HCA",
    "message": "Your home care experience is just what our bank team needs, and you can "
    "pick day shifts only. Do apply: we run a week's paid induction every month.",
}


def _profile(user: User, spec: dict, groups: dict[str, StaffGroup]) -> TalentPoolProfile:
    available_in = spec.get("available_in")
    profile = services.pool_profile_save(
        user=user,
        headline=spec["headline"],
        skills=spec["skills"],
        staff_groups=[groups[slug] for slug in spec["groups"] if slug in groups],
        no_nights=spec.get("no_nights", False),
        no_weekends=spec.get("no_weekends", False),
        term_time_only=spec.get("term_time_only", False),
        max_hours_per_week=spec.get("max_hours_per_week"),
        postcode_district=spec["postcode_district"],
        available_from=(
            timezone.localdate() + timedelta(days=available_in) if available_in else None
        ),
        consent=True,
        from_rejection=spec.get("from_rejection", False),
    )
    if spec.get("leaves"):
        services.pool_consent_withdraw(profile=profile, actor=user)
    return profile


def _invite(profiles: dict[str, TalentPoolProfile]) -> int:
    profile = profiles.get(INVITATION["to"])
    membership = (
        Membership.objects.filter(user__email=LTHT_HR, organisation__name=LTHT)
        .select_related("user", "organisation")
        .first()
    )
    vacancy = (
        Vacancy.objects.published()
        .filter(organisation__name=LTHT, reference=INVITATION["vacancy"])
        .select_related("organisation")
        .first()
    )
    if profile is None or membership is None or vacancy is None or not profile.is_in_pool:
        return 0
    if PoolInvitation.objects.filter(profile=profile, vacancy=vacancy).exists():
        return 0
    services.pool_invitation_send(
        profile=profile, vacancy=vacancy, membership=membership, message=INVITATION["message"]
    )
    return 1


@transaction.atomic
def seed_demo() -> dict:
    groups = {group.slug: group for group in StaffGroup.objects.all()}
    users = {user.email: user for user in User.objects.filter(email__in=PROFILES)}
    existing = {
        profile.user.email: profile
        for profile in TalentPoolProfile.objects.filter(user__in=users.values()).select_related(
            "user"
        )
    }
    profiles, created = dict(existing), 0
    for email, spec in PROFILES.items():
        if email in users and email not in existing:
            profiles[email] = _profile(users[email], spec, groups)
            created += 1
    return {"pool_profiles": created, "pool_invitations": _invite(profiles)}
