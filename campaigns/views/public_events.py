"""Public event pages, no account needed (namespace "campaign_public"): the list of
upcoming events, an event's page with its sign-up form and calendar file, the booking
page a resident reaches from their email, and their contact preferences.

The booking and contact-preferences pages are found only through the signed links in
the emails: an altered or made-up link is 404."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.forms.events import EventFilterForm, SignUpForm
from campaigns.ics import event_ics as event_calendar
from campaigns.models import Event
from campaigns.selectors import events as selectors
from campaigns.services import events as services
from campaigns.services.residents import consent_withdraw, has_consent
from hub.forms import add_service_errors, posted_data
from talent.attribution import CAMPAIGN_SESSION_KEY
from talent.ics import MIMETYPE

EVENTS_PER_PAGE = 10


@require_GET
def event_list(request):
    filters = EventFilterForm(request.GET)
    kind = filters.kind_value()
    paginator = Paginator(selectors.public_events(kind=kind), EVENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))

    def link(number):
        params = {key: value for key, value in {"kind": kind, "page": number}.items() if value}
        return f"?{urlencode(params)}"

    context = {
        "filters": filters,
        "kind": kind,
        "page": page,
        "events": page.object_list,
        "previous_url": link(page.previous_page_number()) if page.has_previous() else "",
        "next_url": link(page.next_page_number()) if page.has_next() else "",
    }
    return render(request, "campaigns/public/event_list.html", context)


@require_http_methods(["GET", "POST"])
def event(request, event_id):
    event = selectors.public_event(event_id)
    refusal = services.sign_up_refusal(event)
    form = SignUpForm(posted_data(request))
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            sign_up = services.event_sign_up(
                event=event,
                tracking_link=selectors.followed_link(
                    event, request.session.get(CAMPAIGN_SESSION_KEY, "")
                ),
                **form.sign_up_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not sign_up.is_new:
                # The booking is the person's, who may not be the one typing: send its link
                # to their email address rather than show it here.
                messages.info(
                    request,
                    "You had already signed up for this event. We have emailed you again "
                    "with the link to see or cancel your booking.",
                )
                return redirect(event.get_absolute_url())
            token = services.booking_token(sign_up.booking)
            return redirect("campaign_public:booking", token=token)
    context = {
        "event": event,
        "campaign": event.campaign,
        "form": form,
        "refusal": refusal,
        "places_left": max(0, event.capacity - event.booked_count),
    }
    return render(request, "campaigns/public/event.html", context)


@require_GET
def event_ics(request, event_id):
    event = selectors.public_event(event_id)
    response = HttpResponse(event_calendar(event), content_type=f"{MIMETYPE}; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="event.ics"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def booking(request, token):
    booking = services.booking_for_token(token)
    if request.method == "POST":
        had_place = booking.status == booking.Status.BOOKED
        try:
            services.booking_cancel(booking=booking)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Your place is cancelled." if had_place else "You have left the waiting list.",
            )
        return redirect("campaign_public:booking", token=token)
    context = {
        "booking": booking,
        "event": booking.event,
        "campaign": booking.event.campaign,
        "token": token,
        "position": selectors.waiting_position(booking),
        "can_cancel": services.booking_can_be_cancelled(booking),
        "is_cancelled_event": booking.event.status == Event.Status.CANCELLED,
    }
    return render(request, "campaigns/public/booking.html", context)


@csrf_exempt  # the token in the URL is the secret; mail clients post one-click (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def contact_preferences(request, token):
    resident = services.resident_for_contact_token(token)
    if request.method == "POST":
        consent_withdraw(resident=resident)
        messages.success(request, "You will not be contacted again by the campaign partners.")
        return redirect("campaign_public:contact_preferences", token=token)
    context = {"resident": resident, "token": token, "has_consent": has_consent(resident)}
    return render(request, "campaigns/public/contact_preferences.html", context)
