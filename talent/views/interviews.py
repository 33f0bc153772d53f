"""HR staff's pages for interviews and trial shifts.

Every view resolves the organisation through `organisation_view` (404 for outsiders, 403
for members without MANAGE_APPLICATIONS) and fetches vacancies, slots, bookings and
requests through selectors that narrow to that organisation in SQL.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.access import Capability, organisation_view
from hub.forms import add_service_errors, posted_data
from hub.services import audit_record, audit_record_view
from talent.forms.interviews import (
    CancelInterviewForm,
    DeclineTrialShiftForm,
    InterviewChoiceForm,
    InterviewDayForm,
    InterviewSlotForm,
    SlotDeleteForm,
    TrialShiftFilterForm,
    TrialShiftSlotForm,
    add_slot_errors,
)
from talent.ics import when_text
from talent.models import Application, TrialShiftRequest
from talent.selectors import interviews as selectors
from talent.selectors.vacancies import vacancy_for_membership
from talent.services import interviews as services

MANAGE = Capability.MANAGE_APPLICATIONS
REQUESTS_PER_PAGE = 50
TrialStatus = TrialShiftRequest.Status


def _problem(error: ValidationError) -> str:
    return " ".join(error.messages)


def _to(name, request, **kwargs):
    return redirect(f"interviews:{name}", org_slug=request.organisation.slug, **kwargs)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        add_slot_errors(form, {field: errors for field, errors in error.message_dict.items()})
    else:
        add_service_errors(form, error)


# --- Interview times --------------------------------------------------------------------------


@require_GET
@organisation_view(MANAGE)
def slot_list(request, pk):
    vacancy = vacancy_for_membership(request.membership, pk)
    slots = list(selectors.vacancy_interview_slots(vacancy))
    now = timezone.now()
    context = {
        "vacancy": vacancy,
        "upcoming": [slot for slot in slots if slot.starts_at > now],
        "past": [slot for slot in slots if slot.starts_at <= now],
    }
    return render(request, "talent/interviews/slot_list.html", context)


def _create(request, vacancy, *, form_class, create, template, done, back="slots"):
    form = form_class(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            created = create(form, vacancy)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done(created))
            return _to(back, request, pk=vacancy.pk)
    return render(request, template, {"vacancy": vacancy, "form": form})


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def slot_create(request, pk):
    return _create(
        request,
        vacancy_for_membership(request.membership, pk),
        form_class=InterviewSlotForm,
        create=lambda form, vacancy: services.interview_slot_create(
            vacancy=vacancy, actor=request.user, **form.slot_fields()
        ),
        template="talent/interviews/slot_form.html",
        done=lambda slot: f"Interview time added: {when_text(slot.starts_at, slot.ends_at)}.",
    )


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def slot_create_day(request, pk):
    return _create(
        request,
        vacancy_for_membership(request.membership, pk),
        form_class=InterviewDayForm,
        create=lambda form, vacancy: services.interview_slots_create_series(
            vacancy=vacancy, actor=request.user, **form.series_fields()
        ),
        template="talent/interviews/slot_day_form.html",
        done=lambda slots: (
            f"{len(slots)} interview times added, from "
            f"{when_text(slots[0].starts_at)} to {when_text(slots[-1].ends_at)}."
            if len(slots) > 1
            else f"Interview time added: {when_text(slots[0].starts_at, slots[0].ends_at)}."
        ),
    )


@require_GET
@organisation_view(MANAGE)
def slot_detail(request, slot_id):
    slot = selectors.interview_slot_for_membership(request.membership, slot_id)
    audit_record_view(
        actor=request.user,
        organisation=request.organisation,
        obj=slot,
        action="interview_slot.bookings_viewed",
        summary=f"Viewed the candidates booked into an interview time for {slot.vacancy.title}",
        data={"shown": len(slot.active_bookings)},
    )
    context = {"slot": slot, "vacancy": slot.vacancy, "is_past": slot.starts_at <= timezone.now()}
    return render(request, "talent/interviews/slot_detail.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def slot_delete(request, slot_id):
    slot = selectors.interview_slot_for_membership(request.membership, slot_id)
    needs_move = bool(slot.active_bookings)
    others = selectors.free_interview_slots(slot.vacancy, excluding=slot)
    form = SlotDeleteForm(posted_data(request), slots=others, needs_move=needs_move)
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_slot_delete(
                slot=slot, actor=request.user, move_bookings_to=form.cleaned_data.get("move_to")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The interview time {when_text(slot.starts_at, slot.ends_at)} was removed."
                + (" The booked candidates were moved and told by email." if needs_move else ""),
            )
            return _to("slots", request, pk=slot.vacancy_id)
    context = {
        "slot": slot,
        "vacancy": slot.vacancy,
        "form": form,
        "needs_move": needs_move,
        "has_other_slots": others.exists() if needs_move else True,
    }
    return render(request, "talent/interviews/slot_delete.html", context)


# --- Booking for a candidate ------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def book(request, application_id):
    application = selectors.application_for_interview(request.membership, application_id)
    booking = selectors.application_interview(application)
    can_book = application.stage == Application.Stage.INTERVIEW
    slots = selectors.free_interview_slots(
        application.vacancy, excluding=booking.slot if booking else None
    )
    form = InterviewChoiceForm(
        posted_data(request),
        slots=slots,
        label="Move the interview to" if booking else "Choose an interview time",
    )
    if request.method == "POST" and can_book and form.is_valid():
        try:
            booking = services.interview_book(
                application=application, slot=form.cleaned_data["slot"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Interview booked for {when_text(booking.slot.starts_at, booking.slot.ends_at)}. "
                "The candidate has been emailed the details.",
            )
            return redirect(
                "vacancies:application_detail",
                org_slug=request.organisation.slug,
                application_id=application.pk,
            )
    audit_record_view(
        actor=request.user,
        organisation=request.organisation,
        obj=application,
        action="interview.viewed",
        summary=f"Viewed the interview of an applicant for {application.vacancy.title}",
    )
    context = {
        "application": application,
        "vacancy": application.vacancy,
        "booking": booking,
        "can_book": can_book,
        "form": form,
        "has_slots": slots.exists() if request.method == "GET" else True,
        "cancel_form": CancelInterviewForm(),
    }
    return render(request, "talent/interviews/book.html", context)


@require_POST
@organisation_view(MANAGE)
def booking_cancel(request, application_id):
    application = selectors.application_for_interview(request.membership, application_id)
    booking = selectors.application_interview(application)
    form = CancelInterviewForm(request.POST)
    if booking is None:
        messages.info(request, "There is no interview booked for this application.")
    elif not form.is_valid():
        messages.error(request, _problem(ValidationError(form.errors["reason"])))
        return _to("book", request, application_id=application.pk)
    else:
        try:
            services.interview_cancel_booking(
                booking=booking, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, _problem(error))
        else:
            messages.success(request, "The interview was cancelled. The candidate has been told.")
    return redirect(
        "vacancies:application_detail",
        org_slug=request.organisation.slug,
        application_id=application.pk,
    )


# --- Trial shifts -----------------------------------------------------------------------------


@require_GET
@organisation_view(MANAGE)
def trial_slot_list(request, pk):
    vacancy = vacancy_for_membership(request.membership, pk)
    slots = list(selectors.vacancy_trial_shift_slots(vacancy))
    now = timezone.now()
    context = {
        "vacancy": vacancy,
        "upcoming": [slot for slot in slots if slot.starts_at > now],
        "past": [slot for slot in slots if slot.starts_at <= now],
    }
    return render(request, "talent/interviews/trial_slot_list.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def trial_slot_create(request, pk):
    vacancy = vacancy_for_membership(request.membership, pk)
    if not vacancy.trial_shift_available:
        context = {"vacancy": vacancy, "form": None, "allowed": False}
        return render(request, "talent/interviews/trial_slot_form.html", context)
    return _create(
        request,
        vacancy,
        form_class=TrialShiftSlotForm,
        create=lambda form, vacancy: services.trial_shift_slot_create(
            vacancy=vacancy, actor=request.user, **form.slot_fields()
        ),
        template="talent/interviews/trial_slot_form.html",
        done=lambda slot: f"Trial shift added: {when_text(slot.starts_at, slot.ends_at)}.",
        back="trial_slots",
    )


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def trial_slot_delete(request, trial_slot_id):
    slot = selectors.trial_shift_slot_for_membership(request.membership, trial_slot_id)
    if request.method == "POST":
        try:
            services.trial_shift_slot_delete(slot=slot, actor=request.user)
        except ValidationError as error:
            messages.error(request, _problem(error))
        else:
            messages.success(
                request, f"The trial shift {when_text(slot.starts_at, slot.ends_at)} was removed."
            )
        return _to("trial_slots", request, pk=slot.vacancy_id)
    context = {
        "slot": slot,
        "vacancy": slot.vacancy,
        "has_open_requests": bool(slot.requested_count or slot.confirmed_count),
    }
    return render(request, "talent/interviews/trial_slot_delete.html", context)


@require_GET
@organisation_view(MANAGE)
def trial_request_list(request):
    counts = selectors.organisation_trial_shift_counts(request.membership)
    status = TrialShiftFilterForm(request.GET).value(TrialStatus.values)
    paginator = Paginator(
        selectors.organisation_trial_shift_requests(request.membership, status=status),
        REQUESTS_PER_PAGE,
    )
    paginator.count = counts[status or "all"]  # counted already, in the aggregate above
    page = paginator.get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        organisation=request.organisation,
        action="trial_shift.list_viewed",
        summary="Viewed the list of trial shift requests",
        data={"shown": len(page.object_list), "status": status},
    )

    def link(**params):
        query = "&".join(f"{key}={value}" for key, value in params.items() if value)
        return f"?{query}" if query else request.path

    tabs = [
        {
            "label": label,
            "count": counts[value or "all"],
            "url": link(status=value),
            "current": value == status,
        }
        for value, label in [("", "All requests"), *TrialStatus.choices]
    ]
    context = {
        "tabs": tabs,
        "status": status,
        "status_label": TrialStatus(status).label if status else "",
        "page": page,
        "previous_url": link(status=status, page=page.number - 1) if page.has_previous() else "",
        "next_url": link(status=status, page=page.number + 1) if page.has_next() else "",
    }
    return render(request, "talent/interviews/trial_request_list.html", context)


@never_cache
@require_GET
@organisation_view(MANAGE)
def trial_request_detail(request, trial_request_id):
    trial_request = selectors.trial_shift_request_for_membership(
        request.membership, trial_request_id
    )
    audit_record_view(
        actor=request.user,
        organisation=request.organisation,
        obj=trial_request,
        action="trial_shift.viewed",
        summary=f"Viewed a trial shift request for {trial_request.slot.vacancy.title}",
    )
    context = {
        "trial_request": trial_request,
        "slot": trial_request.slot,
        "vacancy": trial_request.slot.vacancy,
        "is_past": trial_request.slot.starts_at <= timezone.now(),
    }
    return render(request, "talent/interviews/trial_request_detail.html", context)


@require_POST
@organisation_view(MANAGE)
def trial_request_confirm(request, trial_request_id):
    trial_request = selectors.trial_shift_request_for_membership(
        request.membership, trial_request_id
    )
    try:
        services.trial_shift_request_confirm(trial_request=trial_request, actor=request.user)
    except ValidationError as error:
        messages.error(request, _problem(error))
    else:
        messages.success(
            request,
            f"Trial shift confirmed. {trial_request.candidate.name or 'The candidate'} has been "
            "emailed the details.",
        )
    return _to("trial_request", request, trial_request_id=trial_request.pk)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def trial_request_decline(request, trial_request_id):
    trial_request = selectors.trial_shift_request_for_membership(
        request.membership, trial_request_id
    )
    allowed = trial_request.status in services.OPEN_REQUEST_STATUSES
    form = DeclineTrialShiftForm(posted_data(request))
    if request.method == "POST" and allowed and form.is_valid():
        try:
            services.trial_shift_request_decline(
                trial_request=trial_request, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The request was declined. The candidate has been told why.")
            return _to("trial_request", request, trial_request_id=trial_request.pk)
    context = {
        "trial_request": trial_request,
        "slot": trial_request.slot,
        "vacancy": trial_request.slot.vacancy,
        "form": form,
        "allowed": allowed,
    }
    return render(request, "talent/interviews/trial_request_decline.html", context)
