"""Writes for the shared talent pool.

A candidate joins with explicit consent, whose wording and date are stored with the
profile; partners' HR staff see the profile only while that consent stands. Leaving the
pool withdraws consent at once (the profile drops out of every search and profile page
in the same transaction) and the candidate may delete the profile too; rejoining needs
fresh consent. HR staff invite someone from the pool to apply for one of their live
vacancies; the invitation is emailed through the outbox and shows in the candidate's
area. Every look at a profile by HR staff is written to the audit log.

Every write runs in a transaction, checks its rules (a ValidationError says what is
wrong), saves and writes the audit row.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from hub.access import Capability, can
from hub.models import Membership, Organisation, User
from hub.services import audit_record
from talent import emails
from talent.filters import MAX_HOURS_LIMIT
from talent.filters import postcode_district as outward_code
from talent.models import (
    Application,
    PoolInvitation,
    StaffGroup,
    TalentPoolProfile,
    Vacancy,
)

# What a candidate agrees to by ticking the box. Stored word for word with their consent,
# so a later change of wording never rewrites what someone agreed to.
POOL_CONSENT_WORDING = (
    "Every partner organisation of Workforce Hub may see this profile and invite me to "
    "apply for jobs. I can leave the pool at any time."
)
MAX_HEADLINE = TalentPoolProfile._meta.get_field("headline").max_length
MAX_SKILLS = 2000
MAX_MESSAGE = 1000

Joined = TalentPoolProfile.Joined


def _tidy(text: str) -> str:
    return " ".join((text or "").split())


def _profile_fields(
    *,
    headline: str,
    skills: str,
    postcode: str,
    max_hours_per_week: int | None,
) -> dict:
    """The profile's text and numbers tidied, or a ValidationError naming each field."""
    errors = {}
    headline = _tidy(headline)
    if not headline:
        errors["headline"] = "Enter a line about you"
    elif len(headline) > MAX_HEADLINE:
        errors["headline"] = f"The line about you must be {MAX_HEADLINE} characters or fewer"
    skills = (skills or "").strip()
    if not skills:
        errors["skills"] = "Enter your skills, qualifications and experience"
    elif len(skills) > MAX_SKILLS:
        errors["skills"] = f"Your skills must be {MAX_SKILLS} characters or fewer"
    district = outward_code(postcode or "")
    if district is None:
        errors["postcode_district"] = (
            "Enter a postcode district, like LS9, or a full postcode, like LS9 7TF"
        )
    if max_hours_per_week is not None and not 1 <= max_hours_per_week <= MAX_HOURS_LIMIT:
        errors["max_hours_per_week"] = (
            f"The most hours a week must be between 1 and {MAX_HOURS_LIMIT}"
        )
    if errors:
        raise ValidationError(errors)
    return {"headline": headline, "skills": skills, "postcode_district": district}


@transaction.atomic
def pool_profile_save(
    *,
    user: User,
    headline: str,
    skills: str,
    staff_groups: list[StaffGroup],
    no_nights: bool,
    no_weekends: bool,
    term_time_only: bool,
    max_hours_per_week: int | None,
    postcode_district: str,
    available_from: date | None,
    consent: bool,
    from_rejection: bool = False,
) -> TalentPoolProfile:
    """Join the pool, rejoin it, or change the profile while in it.

    Joining and rejoining need `consent`: the wording and the moment are stored. A
    candidate who came from the offer in a rejection (`from_rejection`) and has indeed had
    an unsuccessful application is recorded as joining after a rejection."""
    fields = _profile_fields(
        headline=headline,
        skills=skills,
        postcode=postcode_district,
        max_hours_per_week=max_hours_per_week,
    )
    profile = TalentPoolProfile.objects.select_for_update().filter(user=user).first()
    joining = profile is None or not profile.is_in_pool
    if joining and not consent:
        raise ValidationError(
            {"consent": "Tick the box to agree that partner organisations may see your profile"}
        )
    profile = profile or TalentPoolProfile(user=user)
    for name, value in {
        **fields,
        "no_nights": no_nights,
        "no_weekends": no_weekends,
        "term_time_only": term_time_only,
        "max_hours_per_week": max_hours_per_week,
        "available_from": available_from,
    }.items():
        setattr(profile, name, value)
    if joining:
        after_rejection = (
            from_rejection
            and Application.objects.filter(
                candidate=user, stage=Application.Stage.REJECTED
            ).exists()
        )
        profile.joined = Joined.AFTER_REJECTION if after_rejection else Joined.OWN_CHOICE
        profile.consent_wording = POOL_CONSENT_WORDING
        profile.consent_given_at = timezone.now()
        profile.consent_withdrawn_at = None
    profile.save()
    profile.staff_groups.set(staff_groups)
    audit_record(
        actor=user,
        action="talent_pool.joined" if joining else "talent_pool.profile_changed",
        summary=(
            "Joined the talent pool, consenting to every partner seeing their profile"
            if joining
            else "Changed their talent pool profile"
        ),
        obj=profile,
        data={"joined": profile.joined} if joining else {},
    )
    return profile


@transaction.atomic
def pool_consent_withdraw(*, profile: TalentPoolProfile, actor: User) -> TalentPoolProfile:
    """Leave the pool: from this moment no partner finds or opens the profile. It is
    kept, so the candidate can rejoin (with fresh consent) without typing it again."""
    profile = TalentPoolProfile.objects.select_for_update().get(pk=profile.pk)
    if not profile.is_in_pool:
        return profile
    profile.consent_withdrawn_at = timezone.now()
    profile.save(update_fields=["consent_withdrawn_at", "updated_at"])
    audit_record(
        actor=actor,
        action="talent_pool.left",
        summary="Left the talent pool: consent withdrawn",
        obj=profile,
    )
    return profile


@transaction.atomic
def pool_profile_delete(*, profile: TalentPoolProfile, actor: User) -> None:
    """Delete the profile and the invitations sent to it, out of the pool first."""
    pool_consent_withdraw(profile=profile, actor=actor)
    audit_record(
        actor=actor,
        action="talent_pool.profile_deleted",
        summary="Deleted their talent pool profile",
        obj=profile,
    )
    profile.delete()


def pool_profile_view_record(
    *, profile: TalentPoolProfile, actor: User, organisation: Organisation
) -> None:
    """Write down that a partner's HR staff opened a pool profile: who, acting for which
    organisation, and whose profile."""
    audit_record(
        actor=actor,
        organisation=organisation,
        action="talent_pool.profile_viewed",
        summary="Viewed a talent pool profile",
        obj=profile,
    )


# --- Invitations to apply -----------------------------------------------------------------


def _refusal(message: str, code: str) -> ValidationError:
    return ValidationError({"vacancy": ValidationError(message, code=code)})


@transaction.atomic
def pool_invitation_send(
    *,
    profile: TalentPoolProfile,
    vacancy: Vacancy,
    membership: Membership,
    message: str = "",
) -> PoolInvitation:
    """Invite someone in the pool to apply for one of the organisation's live vacancies,
    once per vacancy and never when they have applied already; email them."""
    if not can(membership, Capability.SEARCH_TALENT_POOL):
        raise ValidationError("Your role cannot invite people from the talent pool.")
    if vacancy.organisation_id != membership.organisation_id:
        raise _refusal("Choose one of your organisation's vacancies.", "not_ours")
    if not vacancy.is_live:
        raise _refusal(
            f"{vacancy.title} is not open for applications, so no one can be invited to it.",
            "not_live",
        )
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise ValidationError({"message": f"The message must be {MAX_MESSAGE} characters or fewer"})
    # Locked, so an invitation cannot slip in while the candidate is leaving the pool.
    profile = (
        TalentPoolProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=profile.pk)
    )
    if not profile.is_in_pool:
        raise ValidationError(
            "This person has left the talent pool, so they cannot be invited.", code="left"
        )
    earlier = PoolInvitation.objects.filter(profile=profile, vacancy=vacancy).first()
    if earlier is not None:
        raise _refusal(
            f"This person was already invited to apply for {vacancy.title} on "
            f"{date_format(timezone.localtime(earlier.created_at), 'j F Y')}.",
            "already_invited",
        )
    if (
        Application.objects.filter(vacancy=vacancy, candidate=profile.user)
        .exclude(stage=Application.Stage.DRAFT)
        .exists()
    ):
        raise _refusal(f"This person has already applied for {vacancy.title}.", "applied")
    try:
        with transaction.atomic():
            invitation = PoolInvitation.objects.create(
                profile=profile,
                vacancy=vacancy,
                organisation=membership.organisation,
                invited_by=membership.user,
                message=message,
            )
    except IntegrityError:  # a colleague invited them to it a moment ago
        raise _refusal(
            f"This person was already invited to apply for {vacancy.title}.", "already_invited"
        ) from None
    audit_record(
        actor=membership.user,
        organisation=membership.organisation,
        action="talent_pool.invitation_sent",
        summary=f"Invited a candidate from the talent pool to apply for {vacancy.title}",
        obj=invitation,
        data={"vacancy_id": vacancy.pk, "profile_id": profile.pk},
    )
    emails.email_pool_invitation(invitation=invitation)
    return invitation


@transaction.atomic
def pool_invitation_decline(*, invitation: PoolInvitation, actor: User) -> PoolInvitation:
    """The candidate is not interested in this vacancy; the organisation sees it."""
    if invitation.declined_at is not None:
        return invitation
    invitation.declined_at = timezone.now()
    invitation.seen_at = invitation.seen_at or invitation.declined_at
    invitation.save(update_fields=["declined_at", "seen_at", "updated_at"])
    audit_record(
        actor=actor,
        organisation=invitation.organisation,
        action="talent_pool.invitation_declined",
        summary=f"Declined the invitation to apply for {invitation.vacancy.title}",
        obj=invitation,
    )
    return invitation


def pool_invitations_mark_seen(*, user: User) -> int:
    """Mark the candidate's unseen invitations as seen, in one UPDATE."""
    return PoolInvitation.objects.filter(profile__user=user, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
