"""Writes for campaigns: creating one (with its first tracking link, the code printed on
posters) and changing it.

The organisation that creates a campaign leads it and is the only one that may change
it: partners run events and record residents, but who the partners are, the dates and
the goals are the lead's decisions. A campaign recruits for vacancies of its own
partnership, so only the lead's and the partners' vacancies can be linked to it.
"""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from campaigns.models import Campaign, Neighbourhood, TrackingLink
from hub.models import Membership, Organisation, User
from hub.services import audit_record
from talent.models import StaffGroup, Vacancy

# The fields the lead sets on a campaign form, besides the many-to-many ones.
CAMPAIGN_FIELDS = (
    "name",
    "summary",
    "starts_on",
    "ends_on",
    "target_roles",
    "goal_engaged",
    "goal_attended",
    "goal_applied",
    "goal_outcomes",
    "is_public",
)
FIRST_LINK_LABEL = "Campaign code"
# Words left out of a campaign code: "Armley and New Wortley" reads ARMLEY-NEW-WORTLEY.
CODE_SKIPPED_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "the", "to", "with"})
CODE_MAX_LENGTH = 40
# Room for "-99" after the base, so a suffixed code still fits.
CODE_BASE_MAX_LENGTH = CODE_MAX_LENGTH - 4


def require_lead(membership: Membership, campaign: Campaign) -> None:
    """Partners may see and work on a campaign but not change it: 403 with the reason."""
    if campaign.lead_organisation_id != membership.organisation_id:
        raise PermissionDenied(
            f"Only the lead organisation, {campaign.lead_organisation.name}, can change "
            "this campaign. Ask them to make the change."
        )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90].strip("-") or "campaign"
    slug, n = base, 2
    while Campaign.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def code_base(name: str) -> str:
    """The readable part of a campaign code: the name's words in capitals, joined by
    hyphens, small words left out, cut at a word boundary so a suffix still fits."""
    words = re.findall(r"[A-Z0-9]+", slugify(name).upper())
    kept = [word for word in words if word.lower() not in CODE_SKIPPED_WORDS] or words
    code = ""
    for word in kept:
        candidate = f"{code}-{word}" if code else word
        if len(candidate) > CODE_BASE_MAX_LENGTH:
            break
        code = candidate
    return code or (kept[0][:CODE_BASE_MAX_LENGTH] if kept else "CAMPAIGN")


def unique_link_code(name: str) -> str:
    """A code nobody else uses, in any letter case (people type them as they please):
    the name's code, or the same with -2, -3 and so on."""
    base = code_base(name)
    code, n = base, 2
    while TrackingLink.objects.filter(code__iexact=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


def _clean(
    *,
    lead: Organisation,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    partner_organisations,
    neighbourhoods,
    vacancies,
    already_linked=(),
) -> str:
    """Refuse what cannot be right, naming the field; return the tidied name."""
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = "Enter the campaign's name"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    if not neighbourhoods:
        errors["neighbourhoods"] = "Choose at least one neighbourhood the campaign is aimed at"
    partners = list(partner_organisations)
    if any(partner.pk == lead.pk for partner in partners):
        errors["partner_organisations"] = "Your own organisation leads the campaign"
    elif any(not partner.active for partner in partners):
        errors["partner_organisations"] = "Choose partners that are still active"
    allowed = {lead.pk, *(partner.pk for partner in partners)}
    linked = {vacancy.pk for vacancy in already_linked}
    for vacancy in vacancies:
        if vacancy.organisation_id not in allowed:
            errors["vacancies"] = (
                f"{vacancy.title} is not a vacancy of the lead or a partner organisation"
            )
            break
        if vacancy.pk not in linked and vacancy.status != Vacancy.Status.PUBLISHED:
            errors["vacancies"] = f"{vacancy.title} is not published"
            break
    if errors:
        raise ValidationError(errors)
    return name


@transaction.atomic
def campaign_create(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    neighbourhoods: list[Neighbourhood],
    partner_organisations: list[Organisation] = (),
    target_staff_groups: list[StaffGroup] = (),
    vacancies: list[Vacancy] = (),
    summary: str = "",
    target_roles: str = "",
    goal_engaged: int | None = None,
    goal_attended: int | None = None,
    goal_applied: int | None = None,
    goal_outcomes: int | None = None,
    is_public: bool = True,
) -> Campaign:
    """Create a campaign led by `organisation`, with its first tracking link: the code
    people type from a poster, which attributes their application to the campaign."""
    name = _clean(
        lead=organisation,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        partner_organisations=partner_organisations,
        neighbourhoods=neighbourhoods,
        vacancies=vacancies,
    )
    campaign = Campaign.objects.create(
        name=name,
        slug=_unique_slug(name),
        summary=summary.strip(),
        lead_organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        target_roles=target_roles.strip(),
        goal_engaged=goal_engaged,
        goal_attended=goal_attended,
        goal_applied=goal_applied,
        goal_outcomes=goal_outcomes,
        is_public=is_public,
    )
    campaign.partner_organisations.set(partner_organisations)
    campaign.neighbourhoods.set(neighbourhoods)
    campaign.target_staff_groups.set(target_staff_groups)
    campaign.vacancies.set(vacancies)
    link = TrackingLink.objects.create(
        campaign=campaign,
        label=FIRST_LINK_LABEL,
        code=unique_link_code(name),
        destination=TrackingLink.Destination.CAMPAIGN,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=campaign,
        action="campaign.created",
        summary=f"Created the campaign {campaign.name}",
        data={
            "partners": [partner.pk for partner in partner_organisations],
            "neighbourhoods": [neighbourhood.pk for neighbourhood in neighbourhoods],
        },
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=link,
        action="campaign.link_created",
        summary=f"Created the tracking link {link.code} for {campaign.name}",
        data={"campaign": str(campaign.pk), "code": link.code},
    )
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    membership: Membership,
    actor: User,
    neighbourhoods: list[Neighbourhood],
    partner_organisations: list[Organisation] = (),
    target_staff_groups: list[StaffGroup] = (),
    vacancies: list[Vacancy] = (),
    **fields,
) -> Campaign:
    """Change a campaign: the lead's decision only. The slug and codes stay as they were,
    since they are printed on posters. Vacancies linked before may stay linked after they
    close; newly linked ones must be published."""
    require_lead(membership, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    fields["name"] = _clean(
        lead=membership.organisation,
        name=fields.get("name", campaign.name),
        starts_on=fields.get("starts_on", campaign.starts_on),
        ends_on=fields.get("ends_on", campaign.ends_on),
        partner_organisations=partner_organisations,
        neighbourhoods=neighbourhoods,
        vacancies=vacancies,
        already_linked=campaign.vacancies.all(),
    )
    fields = {
        key: value.strip() if isinstance(value, str) else value for key, value in fields.items()
    }
    changed = [field for field, value in fields.items() if getattr(campaign, field) != value]
    for field in changed:
        setattr(campaign, field, fields[field])
    if changed:
        campaign.save(update_fields=[*changed, "updated_at"])
    old_partners = set(campaign.partner_organisations.values_list("pk", flat=True))
    campaign.partner_organisations.set(partner_organisations)
    campaign.neighbourhoods.set(neighbourhoods)
    campaign.target_staff_groups.set(target_staff_groups)
    campaign.vacancies.set(vacancies)
    new_partners = {partner.pk for partner in partner_organisations}
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=campaign,
        action="campaign.updated",
        summary=f"Changed the campaign {campaign.name}",
        data={
            "fields": changed,
            "partners_added": sorted(new_partners - old_partners),
            "partners_removed": sorted(old_partners - new_partners),
        },
    )
    return campaign
