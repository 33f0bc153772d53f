"""Running a campaign's events, under /manage/<org_slug>/campaigns/ (namespace
"campaign_events").

Every view resolves the organisation through `organisation_view` (404 for outsiders, 403
for members without MANAGE_CAMPAIGNS) and fetches the campaign or event through
`campaigns.selectors.campaigns`, which narrows to the campaigns the organisation leads or
is a partner in: another organisation's event is 404, as if it did not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.forms.events import AttendanceForm, CancelEventForm, EventForm
from campaigns.models import Event
from campaigns.selectors import events as event_selectors
from campaigns.selectors.campaigns import campaign_for, event_for
from campaigns.services import events as services
from hub.access import Capability, organisation_view
from hub.forms import add_service_errors, posted_data

MANAGE = Capability.MANAGE_CAMPAIGNS


def _to_event(request, event):
    return redirect(
        "campaign_events:event_detail", org_slug=request.organisation.slug, event_id=event.pk
    )


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def event_create(request, campaign_id):
    campaign = campaign_for(request.membership, campaign_id)
    form = EventForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                campaign=campaign,
                membership=request.membership,
                actor=request.user,
                **form.event_fields(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, f"Event added: {event.title}. Its public page is open for sign-up."
            )
            return _to_event(request, event)
    return render(request, "campaigns/events/event_form.html", {"campaign": campaign, "form": form})


@never_cache
@require_http_methods(["GET"])
@organisation_view(MANAGE)
def event_detail(request, event_id):
    event = event_for(request.membership, event_id)
    bookings = event_selectors.event_bookings(event)
    services.event_bookings_record_staff_view(
        event=event,
        actor=request.user,
        membership=request.membership,
        shown=sum(len(group) for group in bookings.values()),
    )
    attendance_open = services.attendance_open(event)
    context = {
        "event": event,
        "campaign": event.campaign,
        "counts": event_selectors.booking_counts(event),
        "bookings": bookings,
        "is_cancelled": event.status == Event.Status.CANCELLED,
        "attendance_open": attendance_open,
        "attendance_form": AttendanceForm(
            bookings=bookings["booked"], is_course=event.kind == Event.Kind.EMPLOYABILITY_COURSE
        )
        if attendance_open and bookings["booked"]
        else None,
    }
    return render(request, "campaigns/events/event_detail.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def event_edit(request, event_id):
    event = event_for(request.membership, event_id)
    is_cancelled = event.status == Event.Status.CANCELLED
    form = EventForm(posted_data(request), initial=EventForm.initial_for(event))
    if request.method == "POST" and not is_cancelled and form.is_valid():
        try:
            services.event_update(
                event=event,
                membership=request.membership,
                actor=request.user,
                **form.event_fields(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The event's details are saved.")
            return _to_event(request, event)
    context = {
        "campaign": event.campaign,
        "event": event,
        "form": form,
        "is_cancelled": is_cancelled,
    }
    return render(request, "campaigns/events/event_form.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def event_cancel(request, event_id):
    event = event_for(request.membership, event_id)
    is_cancelled = event.status == Event.Status.CANCELLED
    form = CancelEventForm(posted_data(request))
    if request.method == "POST" and not is_cancelled and form.is_valid():
        try:
            services.event_cancel(
                event=event,
                membership=request.membership,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{event.title} is cancelled. Everyone booked or waiting who agreed to be "
                "contacted has been emailed.",
            )
            return _to_event(request, event)
    context = {
        "event": event,
        "campaign": event.campaign,
        "form": form,
        "is_cancelled": is_cancelled,
    }
    return render(request, "campaigns/events/event_cancel.html", context)


@require_POST
@organisation_view(MANAGE)
def attendance(request, event_id):
    event = event_for(request.membership, event_id)
    bookings = event_selectors.event_bookings(event)["booked"]
    form = AttendanceForm(
        request.POST, bookings=bookings, is_course=event.kind == Event.Kind.EMPLOYABILITY_COURSE
    )
    if not form.is_valid():
        messages.error(request, "Choose attended or did not attend for each person, then save.")
        return _to_event(request, event)
    try:
        changed = services.attendance_record(
            event=event, marks=form.marks(), membership=request.membership, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Attendance saved." if changed else "Attendance saved: nothing had changed.",
        )
    return _to_event(request, event)
