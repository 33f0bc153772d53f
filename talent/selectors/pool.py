"""Reads for the shared talent pool.

HR staff only ever reach profiles through `TalentPoolProfile.objects.in_pool()`, so a
withdrawn consent takes a profile out of every search and profile page in the very next
query. The candidate reaches their own profile and invitations through their user.

The search page runs a fixed number of queries whatever it finds: the staff groups
offered as a filter, the count, the page of profiles and their staff groups."""

from datetime import date

from django.contrib.postgres.search import SearchRank
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from hub.access import get_for_owner
from hub.models import Membership, Organisation
from talent.filters import keyword_query
from talent.models import Application, PoolInvitation, StaffGroup, TalentPoolProfile, Vacancy

# ts_rank's weights for D, C, B, A: unused, unused, skills, headline.
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]

# What HR staff may load of the person behind a profile: their name, never their email.
PERSON_FIELDS = ("user__id", "user__name")
PROFILE_FIELDS = (
    "id",
    "user",
    "headline",
    "skills",
    "no_nights",
    "no_weekends",
    "term_time_only",
    "max_hours_per_week",
    "postcode_district",
    "available_from",
    "joined",
    "consent_given_at",
    "consent_withdrawn_at",
)


def _staff_groups() -> Prefetch:
    return Prefetch("staff_groups", queryset=StaffGroup.objects.order_by("position", "name"))


def staff_group_choices() -> QuerySet[StaffGroup]:
    return StaffGroup.objects.order_by("position", "name")


# --- The candidate's side -------------------------------------------------------------------


def candidate_pool_profile(user) -> TalentPoolProfile | None:
    """The candidate's own profile, in the pool or not, or None."""
    return TalentPoolProfile.objects.filter(user=user).prefetch_related(_staff_groups()).first()


def _applied(**outer) -> Exists:
    """An application sent (not a draft) for the invitation's vacancy by its candidate."""
    return Exists(
        Application.objects.filter(
            vacancy=OuterRef("vacancy"), candidate=OuterRef("profile__user"), **outer
        ).exclude(stage=Application.Stage.DRAFT)
    )


def candidate_invitations(user) -> list[PoolInvitation]:
    """The candidate's invitations to apply, newest first, each with its vacancy and
    organisation, `has_applied` and `is_new` (not seen before this listing)."""
    invitations = list(
        PoolInvitation.objects.filter(profile__user=user)
        .select_related("vacancy__organisation", "organisation")
        .annotate(has_applied=_applied())
        .order_by("-created_at")
    )
    for invitation in invitations:
        invitation.is_new = invitation.seen_at is None
    return invitations


def candidate_invitation(user, invitation_id) -> PoolInvitation:
    """One of the candidate's own invitations, or 404 (someone else's is "not found")."""
    return get_for_owner(
        PoolInvitation.objects.select_related("vacancy", "organisation"),
        user,
        field="profile__user",
        pk=invitation_id,
    )


# --- HR staff's side ------------------------------------------------------------------------


def pool_search(
    *,
    keywords: str = "",
    staff_group: StaffGroup | None = None,
    district: str = "",
    available_by: date | None = None,
    nights: bool = False,
    weekends: bool = False,
    min_hours: int | None = None,
) -> QuerySet[TalentPoolProfile]:
    """Profiles in the pool matching every filter given, best match first when there are
    keywords (full text on headline and skills), most recently joined first otherwise.

    A profile without preferred staff groups is open to any; one without an availability
    date is available now; one without a most-hours figure can work any hours."""
    profiles = TalentPoolProfile.objects.in_pool()
    if staff_group is not None:
        chosen = TalentPoolProfile.staff_groups.through.objects.filter(
            talentpoolprofile_id=OuterRef("pk")
        )
        profiles = profiles.filter(
            Exists(chosen.filter(staffgroup_id=staff_group.pk)) | ~Exists(chosen)
        )
    if district:
        profiles = profiles.filter(postcode_district=district)
    if available_by is not None:
        profiles = profiles.filter(
            Q(available_from__isnull=True) | Q(available_from__lte=available_by)
        )
    if nights:
        profiles = profiles.filter(no_nights=False)
    if weekends:
        profiles = profiles.filter(no_weekends=False)
    if min_hours:
        profiles = profiles.filter(
            Q(max_hours_per_week__isnull=True) | Q(max_hours_per_week__gte=min_hours)
        )
    newest = [F("consent_given_at").desc(), "-pk"]
    if keywords:
        query = keyword_query(keywords)
        profiles = (
            profiles.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS))
            .order_by("-rank", *newest)
        )
    else:
        profiles = profiles.order_by(*newest)
    return profiles.defer("skills", "consent_wording", "search_vector").prefetch_related(
        _staff_groups()
    )


def pool_profile_for_staff(profile_id) -> TalentPoolProfile:
    """A profile in the pool, with the person's name only, or 404 (out of the pool is
    the same as not there)."""
    profile = (
        TalentPoolProfile.objects.in_pool()
        .select_related("user")
        .only(*PERSON_FIELDS, *PROFILE_FIELDS)
        .prefetch_related(_staff_groups())
        .filter(pk=profile_id)
        .first()
    )
    if profile is None:
        raise Http404("No such profile in the talent pool")
    return profile


def invitations_from(profile: TalentPoolProfile, organisation: Organisation) -> QuerySet:
    """The organisation's invitations to this person, newest first, each with
    `has_applied`."""
    return (
        PoolInvitation.objects.filter(profile=profile, organisation=organisation)
        .select_related("vacancy")
        .annotate(has_applied=_applied())
        .order_by("-created_at")
    )


def vacancies_to_invite_to(membership: Membership, profile: TalentPoolProfile) -> QuerySet:
    """The organisation's live vacancies, closing soonest first, each with
    `already_invited` for this person."""
    return (
        Vacancy.objects.published()
        .filter(organisation_id=membership.organisation_id)
        .select_related("organisation")
        .annotate(
            already_invited=Exists(
                PoolInvitation.objects.filter(vacancy=OuterRef("pk"), profile=profile)
            )
        )
        .order_by("closing_date", "title")
    )
