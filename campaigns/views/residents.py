"""Residents of a campaign, under /manage/<org_slug>/campaigns/<campaign_id>/ (namespace
"campaigns"): quick capture on a phone, the list of residents, one resident's journey and
withdrawing their consent.

The campaign is fetched through `campaigns.selectors.campaigns.campaign_for`, so only its
lead and partners reach these pages (404 for everyone else). Quick capture needs
RECORD_OUTREACH, which outreach workers and HR staff both have; seeing residents and their
journeys needs MANAGE_CAMPAIGNS. Pages showing personal data are never cached, and every
opening of the list or of a journey is written to the audit log.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.forms.residents import (
    AppliedForm,
    CaptureForm,
    NotesForm,
    OutcomeForm,
    ProgrammeReferralForm,
    ResidentFilterForm,
    SupportReferralForm,
)
from campaigns.models import ContactConsent
from campaigns.selectors import campaigns as campaign_selectors
from campaigns.selectors import residents as selectors
from campaigns.services import journeys
from campaigns.services.residents import (
    consent_withdraw as withdraw_consent,
)
from campaigns.services.residents import (
    has_consent,
    resident_engage,
)
from hub.access import Capability, can, organisation_view
from hub.forms import add_service_errors, posted_data
from hub.services import audit_record_view

MANAGE = Capability.MANAGE_CAMPAIGNS
RESIDENTS_PER_PAGE = 50


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(Capability.RECORD_OUTREACH)
def capture(request, campaign_id):
    campaign = campaign_selectors.campaign_for(request.membership, campaign_id)
    form = CaptureForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            engagement = resident_engage(
                campaign=campaign,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                postcode=data["postcode"],
                channel=data["channel"],
                consent=data["consent"],
                captured_by=ContactConsent.CapturedBy.OUTREACH,
                notes=data["notes"],
                actor=request.user,
                organisation=request.organisation,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = f"{engagement.resident.name} was recorded."
            if not data["consent"] and (data["email"] or data["phone"]):
                message += (
                    " Their email and phone number were not kept, as they did not agree "
                    "to be contacted."
                )
            messages.success(request, message)
            return redirect(
                "campaigns:capture", org_slug=request.organisation.slug, campaign_id=campaign.pk
            )
    context = {
        "campaign": campaign,
        "form": form,
        "recorded": selectors.recorded_today(campaign, request.user),
        "may_manage": can(request.membership, MANAGE),
    }
    return render(request, "campaigns/manage/capture.html", context)


@never_cache
@require_GET
@organisation_view(MANAGE)
def resident_list(request, campaign_id):
    campaign = campaign_selectors.campaign_for(request.membership, campaign_id)
    filters = ResidentFilterForm(
        request.GET, neighbourhoods=selectors.resident_neighbourhoods(campaign)
    )
    values = filters.filters()
    paginator = Paginator(selectors.campaign_residents(campaign, **values), RESIDENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    audit_record_view(
        actor=request.user,
        organisation=request.organisation,
        obj=campaign,
        action="resident.list_viewed",
        summary=f"Viewed the residents of {campaign.name}",
        data={"shown": len(page.object_list)},
    )
    params = {
        "q": values["query"],
        "stage": values["stage"],
        "neighbourhood": values["neighbourhood"].slug if values["neighbourhood"] else "",
    }

    def link(number):
        query = {key: value for key, value in (params | {"page": number}).items() if value}
        return f"?{urlencode(query)}"

    context = {
        "campaign": campaign,
        "filters": filters,
        "filtered": any(params.values()),
        "page": page,
        "previous_url": link(page.previous_page_number()) if page.has_previous() else "",
        "next_url": link(page.next_page_number()) if page.has_next() else "",
    }
    return render(request, "campaigns/manage/resident_list.html", context)


# The journey page's forms, by the name of the button that sends each one.
JOURNEY_STEPS = {
    "support": SupportReferralForm,
    "programme": ProgrammeReferralForm,
    "applied": AppliedForm,
    "outcome": OutcomeForm,
    "notes": NotesForm,
}


def _journey_forms(engagement, step=None, data=None) -> dict:
    initial = {
        "support": {"referred_for_support_on": engagement.referred_for_support_on},
        "programme": {
            "programme": engagement.programme,
            "programme_referred_on": engagement.programme_referred_on,
        },
        "applied": {"applied_on": engagement.applied_on},
        "outcome": {
            "outcome": engagement.outcome,
            "outcome_on": engagement.outcome_on,
            "left_on": engagement.left_on,
        },
        "notes": {"notes": engagement.notes},
    }
    return {
        name: form_class(data if name == step else None, prefix=name, initial=initial[name])
        for name, form_class in JOURNEY_STEPS.items()
    }


def _record_step(step, engagement, cleaned, *, actor, organisation) -> str:
    """Call the service for the step sent; return what to tell the member of staff."""
    who = {"actor": actor, "organisation": organisation, "engagement": engagement}
    name = engagement.resident.name
    if step == "support":
        journeys.journey_refer_for_support(referred_on=cleaned["referred_for_support_on"], **who)
        return f"The referral of {name} for one-to-one support was saved."
    if step == "programme":
        journeys.journey_refer_to_programme(
            programme=cleaned["programme"], referred_on=cleaned["programme_referred_on"], **who
        )
        return f"The referral of {name} to a partner programme was saved."
    if step == "applied":
        journeys.journey_record_applied(applied_on=cleaned["applied_on"], **who)
        return f"The application {name} made elsewhere was saved."
    if step == "outcome":
        journeys.journey_record_outcome(**cleaned, **who)
        return f"The outcome for {name} was saved."
    journeys.journey_record_notes(notes=cleaned["notes"], **who)
    return f"The notes on {name} were saved."


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def journey(request, campaign_id, engagement_id):
    campaign = campaign_selectors.campaign_for(request.membership, campaign_id)
    engagement = selectors.journey_for(campaign, engagement_id)
    step = request.POST.get("step") if request.method == "POST" else None
    forms = _journey_forms(engagement, step if step in JOURNEY_STEPS else None, request.POST)
    if step in JOURNEY_STEPS and forms[step].is_valid():
        try:
            message = _record_step(
                step,
                engagement,
                forms[step].cleaned_data,
                actor=request.user,
                organisation=request.organisation,
            )
        except ValidationError as error:
            add_service_errors(forms[step], error)
        else:
            messages.success(request, message)
            return redirect(
                "campaigns:journey",
                org_slug=request.organisation.slug,
                campaign_id=campaign.pk,
                engagement_id=engagement.pk,
            )
    journeys.journey_viewed(
        engagement=engagement, actor=request.user, organisation=request.organisation
    )
    consents = list(selectors.resident_consents(engagement.resident))
    context = {
        "campaign": campaign,
        "engagement": engagement,
        "resident": engagement.resident,
        "consents": consents,
        "standing_consent": next((c for c in consents if c.withdrawn_at is None), None),
        "bookings": selectors.journey_bookings(engagement),
        "forms": forms,
        "has_errors": any(form.errors for form in forms.values()),
    }
    return render(request, "campaigns/manage/journey.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def consent_withdraw(request, campaign_id, engagement_id):
    campaign = campaign_selectors.campaign_for(request.membership, campaign_id)
    engagement = selectors.journey_for(campaign, engagement_id)
    resident = engagement.resident
    standing = has_consent(resident)
    if request.method == "POST":
        if standing:
            withdraw_consent(
                resident=resident, actor=request.user, organisation=request.organisation
            )
            messages.success(
                request,
                f"{resident.name}'s consent to be contacted was withdrawn. "
                "They will not be emailed about campaigns.",
            )
        else:
            messages.info(request, f"{resident.name} had no consent to withdraw.")
        return redirect(
            "campaigns:journey",
            org_slug=request.organisation.slug,
            campaign_id=campaign.pk,
            engagement_id=engagement.pk,
        )
    context = {
        "campaign": campaign,
        "engagement": engagement,
        "resident": resident,
        "standing": standing,
    }
    return render(request, "campaigns/manage/consent_withdraw.html", context)
