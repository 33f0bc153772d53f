"""Importing residents from paper sign-up sheets, under
/manage/<org_slug>/campaigns/<campaign_id>/import/ (namespace "campaigns").

Uploading checks the file and keeps a report (nothing else is written); the review page
shows what would be imported and what was refused, and confirms or discards it. An
import is seen only by the organisation that uploaded it, within a campaign it leads or
is a partner in (404 otherwise); both pages need MANAGE_CAMPAIGNS.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from campaigns.forms.imports import ImportUploadForm
from campaigns.models import ResidentImport
from campaigns.selectors import campaigns as selectors
from campaigns.selectors.residents import campaign_imports
from campaigns.services import imports as services
from hub.access import Capability, organisation_view
from hub.forms import add_service_errors

MANAGE = Capability.MANAGE_CAMPAIGNS


def _to_review(request, resident_import):
    return redirect(
        "campaigns:import_review",
        org_slug=request.organisation.slug,
        campaign_id=resident_import.campaign_id,
        import_id=resident_import.pk,
    )


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def import_upload(request, campaign_id):
    campaign = selectors.campaign_for(request.membership, campaign_id)
    is_post = request.method == "POST"
    form = ImportUploadForm(request.POST if is_post else None, request.FILES if is_post else None)
    if is_post and form.is_valid():
        try:
            resident_import = services.resident_import_check(
                campaign=campaign,
                organisation=request.organisation,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _to_review(request, resident_import)
    context = {
        "campaign": campaign,
        "form": form,
        "imports": campaign_imports(request.membership, campaign),
        "required_columns": services.REQUIRED_COLUMNS,
        "optional_columns": services.OPTIONAL_COLUMNS,
    }
    return render(request, "campaigns/manage/import_upload.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def import_review(request, campaign_id, import_id):
    campaign = selectors.campaign_for(request.membership, campaign_id)
    resident_import = selectors.resident_import_for(request.membership, campaign, import_id)
    if request.method == "POST":
        action = request.POST.get("action")
        who = {"actor": request.user, "organisation": request.organisation}
        if action == "confirm":
            try:
                imported = services.resident_import_confirm(resident_import=resident_import, **who)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if imported:
                    people = "1 resident was" if imported == 1 else f"{imported} residents were"
                    messages.success(request, f"{people} imported into {campaign.name}.")
                else:
                    messages.info(request, "This file was already imported or discarded.")
        elif action == "discard":
            if services.resident_import_discard(resident_import=resident_import, **who):
                messages.success(request, "The file was discarded. Nobody was imported from it.")
            else:
                messages.info(request, "This file was already imported or discarded.")
        return _to_review(request, resident_import)
    context = {
        "campaign": campaign,
        "resident_import": resident_import,
        "is_checked": resident_import.status == ResidentImport.Status.CHECKED,
    }
    return render(request, "campaigns/manage/import_review.html", context)
