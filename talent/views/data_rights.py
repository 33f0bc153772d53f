"""A person's data rights, under /me/ (namespace "data_rights"): downloading everything
the portal holds about them, and erasing their account (hub.data_rights does both). Both
ask for the password again (allauth's reauthentication) unless it was given in the last
few minutes; erasing is refused, before that, to those who may not erase themselves."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hub import data_rights
from hub.forms import add_service_errors, posted_data
from talent.forms.data_rights import AccountEraseForm
from talent.personal_data import applications_in_progress


@never_cache
@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def data_export(request):
    """What the download holds and, on POST, the zip itself."""
    if request.method == "POST":
        archive, filename = data_rights.personal_data_zip(user=request.user)
        response = FileResponse(
            archive, as_attachment=True, filename=filename, content_type="application/zip"
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "talent/me/data_export.html")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_erase(request):
    refusals = data_rights.erasure_refusals(request.user)
    if refusals:
        context = {"refusals": refusals}
        return render(request, "talent/me/account_erase_refused.html", context, status=403)
    return _account_erase_confirm(request)


@reauthentication_required
def _account_erase_confirm(request):
    form = AccountEraseForm(posted_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        email = request.user.email
        try:
            data_rights.account_erase(user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            logout(request)
            messages.success(
                request,
                f"Your account has been erased. We have sent an email to {email} to confirm it.",
            )
            return redirect("hub:home")
    context = {"form": form, "in_progress": applications_in_progress(request.user)}
    return render(request, "talent/me/account_erase.html", context)
