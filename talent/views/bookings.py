"""The candidate's interview and trial-shift pages: choosing (or changing) the interview
time of their own application, its calendar file, asking for a trial shift on a
vacancy, and their trial shifts. Another person's application or request answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hub.forms import add_service_errors
from talent import ics
from talent.forms.interviews import InterviewChoiceForm, TrialShiftRequestForm
from talent.models import Application, TrialShiftRequest
from talent.selectors import applications as application_selectors
from talent.selectors import interviews as selectors
from talent.services import interviews as services

TrialStatus = TrialShiftRequest.Status


def _calendar_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Interviews -------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def interview(request, application_id):
    application = selectors.candidate_application_for_interview(request.user, application_id)
    booking = selectors.application_interview(application)
    invited = application.stage == Application.Stage.INTERVIEW
    slots = selectors.free_interview_slots(
        application.vacancy, excluding=booking.slot if booking else None
    )
    form = InterviewChoiceForm(
        request.POST if request.method == "POST" else None,
        slots=slots,
        label="Choose a new time" if booking else "Choose an interview time",
    )
    if request.method == "POST" and invited and form.is_valid():
        try:
            booking = services.interview_book(
                application=application, slot=form.cleaned_data["slot"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Your interview is booked for "
                f"{ics.when_text(booking.slot.starts_at, booking.slot.ends_at)}. We have "
                f"emailed the details to {application.email or request.user.email}.",
            )
            return redirect("bookings:interview", application_id=application.pk)
    is_past = booking is not None and booking.slot.starts_at <= timezone.now()
    context = {
        "application": application,
        "vacancy": application.vacancy,
        "booking": booking,
        "invited": invited,
        "is_past": is_past,
        "form": form,
        "has_slots": invited and not is_past and form.fields["slot"].queryset.exists(),
    }
    return render(request, "talent/bookings/interview.html", context)


@never_cache
@login_required
@require_GET
def interview_ics(request, application_id):
    application = selectors.candidate_application_for_interview(request.user, application_id)
    booking = selectors.application_interview(application)
    if booking is None:
        raise Http404("No interview booked")
    booking.application = application
    return _calendar_response(ics.interview_ics(booking), "interview.ics")


@login_required
@require_http_methods(["GET", "POST"])
def interview_cancel(request, application_id):
    application = selectors.candidate_application_for_interview(request.user, application_id)
    booking = selectors.application_interview(application)
    if booking is None:
        messages.info(request, "You do not have an interview booked for this job.")
        return redirect(application)
    if request.method == "POST":
        try:
            services.interview_cancel_booking(booking=booking, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Your interview is cancelled. {application.vacancy.organisation.name} has been "
                "told.",
            )
        return redirect("bookings:interview", application_id=application.pk)
    context = {"application": application, "vacancy": application.vacancy, "booking": booking}
    return render(request, "talent/bookings/interview_cancel.html", context)


# --- Trial shifts -----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def trial_shifts(request, pk):
    """A vacancy's trial shifts: anyone may look; asking for one needs an account."""
    vacancy = selectors.vacancy_for_trial_shifts(pk)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    slots = selectors.open_trial_shift_slots(vacancy)
    user = request.user
    signed_in = user.is_authenticated
    verified = signed_in and application_selectors.email_is_verified(user)
    initial = {}
    if signed_in and request.method == "GET":
        initial["phone"] = application_selectors.candidate_profile(user).phone
    form = TrialShiftRequestForm(
        request.POST if request.method == "POST" else None, slots=slots, initial=initial
    )
    if request.method == "POST" and verified and vacancy.is_live and form.is_valid():
        try:
            trial_request = services.trial_shift_request_create(
                slot=form.cleaned_data["slot"],
                candidate=user,
                phone=form.cleaned_data["phone"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            slot = trial_request.slot
            messages.success(
                request,
                f"You have asked for the trial shift on {ics.when_text(slot.starts_at)}. "
                f"{vacancy.organisation.name} will confirm it by email.",
            )
            return redirect("bookings:my_trial_shifts")
    mine = (
        list(selectors.candidate_trial_shift_requests(user, vacancy=vacancy)) if signed_in else []
    )
    context = {
        "vacancy": vacancy,
        "form": form,
        "has_slots": vacancy.is_live and form.fields["slot"].queryset.exists(),
        "signed_in": signed_in,
        "verified": verified,
        "mine": mine,
    }
    return render(request, "talent/bookings/trial_shifts.html", context)


@login_required
@require_GET
def my_trial_shifts(request):
    requests = list(selectors.candidate_trial_shift_requests(request.user))
    now = timezone.now()
    context = {
        "upcoming": [r for r in requests if r.slot.starts_at > now],
        "past": [r for r in requests if r.slot.starts_at <= now],
        "open_statuses": services.OPEN_REQUEST_STATUSES,
    }
    return render(request, "talent/bookings/my_trial_shifts.html", context)


@never_cache
@login_required
@require_GET
def trial_shift_ics(request, request_id):
    trial_request = selectors.candidate_trial_shift_request(request.user, request_id)
    if trial_request.status != TrialStatus.CONFIRMED:
        raise Http404("This trial shift is not confirmed")
    return _calendar_response(ics.trial_shift_ics(trial_request), "trial-shift.ics")


@login_required
@require_http_methods(["GET", "POST"])
def trial_shift_cancel(request, request_id):
    trial_request = selectors.candidate_trial_shift_request(request.user, request_id)
    allowed = (
        trial_request.status in services.OPEN_REQUEST_STATUSES
        and trial_request.slot.starts_at > timezone.now()
    )
    if request.method == "POST":
        try:
            services.trial_shift_request_cancel(trial_request=trial_request, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Your trial shift request for {trial_request.slot.vacancy.title} is cancelled.",
            )
        return redirect("bookings:my_trial_shifts")
    context = {
        "trial_request": trial_request,
        "slot": trial_request.slot,
        "vacancy": trial_request.slot.vacancy,
        "allowed": allowed,
    }
    return render(request, "talent/bookings/trial_shift_cancel.html", context)
