"""Report exports: choose tables and a format, follow the build, download the file.

The same pages serve an organisation, under /manage/<org_slug>/exports/ for members
whose role may view reports, and the city, under /reports/city/exports/ for hub admins
(`is_staff`; to anyone else signed in the city's pages do not exist, as on the city
dashboard). An export is always fetched within its organisation (or among the city's),
so someone else's is a 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hub import export_services
from hub.access import Capability, hub_admin_view, organisation_view
from hub.forms import add_service_errors
from hub.models import ReportExport
from hub.uploads import private_file_response

CONTENT_TYPES = {
    ReportExport.Format.CSV: "text/csv; charset=utf-8",
    ReportExport.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportExportForm(forms.Form):
    tables = forms.MultipleChoiceField(
        label="Tables to export",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one table",
            "invalid_choice": "Choose tables from the list",
        },
    )
    format = forms.ChoiceField(
        label="Format",
        widget=forms.RadioSelect,
        choices=ReportExport.Format.choices,
        initial=ReportExport.Format.XLSX,
        error_messages={
            "required": "Choose Excel or CSV",
            "invalid_choice": "Choose Excel or CSV",
        },
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tables"].choices = [
            (area, [(table.key, table.title) for table in tables]) for area, tables in areas
        ]


def _chosen_tables(request, areas) -> list[str]:
    """The tables a report page asked to export (`?tables=key&tables=key`), those that
    exist in this scope; others are ignored, as a link may be older than the registry."""
    offered = {table.key for _, tables in areas for table in tables}
    return [key for key in request.GET.getlist("tables") if key in offered]


def _url(organisation, name: str, **kwargs) -> str:
    """The organisation's page `name` ("exports", "export_detail"...), or the city's."""
    if organisation is None:
        return reverse(f"hub:city_{name}", kwargs=kwargs)
    return reverse(f"hub:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def _exports_page(request, organisation):
    areas = export_services.exportable_tables_by_area(organisation)
    form = ReportExportForm(
        request.POST or None, areas=areas, initial={"tables": _chosen_tables(request, areas)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            export = export_services.report_export_request(
                organisation=organisation,
                actor=request.user,
                table_keys=form.cleaned_data["tables"],
                format=form.cleaned_data["format"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if export.status == ReportExport.Status.READY:
                messages.success(request, "Your export is ready to download.")
            else:
                messages.info(
                    request,
                    "Your export is being built. We will email you a link when it is ready.",
                )
            return redirect(_url(organisation, "export_detail", export_id=export.pk))
    exports = list(export_services.recent_exports(organisation))
    for export in exports:
        export.page_url = _url(organisation, "export_detail", export_id=export.pk)
    context = {
        "form": form,
        "exports": exports,
        "organisation": organisation,
        "retention_days": export_services.retention().days,
    }
    return render(request, "hub/exports/exports.html", context)


def _detail_page(request, organisation, export_id):
    export = export_services.export_for(organisation, export_id)
    context = {
        "export": export,
        "organisation": organisation,
        "tables": export_services.table_titles(export),
        "restarted": export_services.report_export_nudge(export),
        "exports_url": _url(organisation, "exports"),
        "page_url": _url(organisation, "export_detail", export_id=export.pk),
        "status_url": _url(organisation, "export_status", export_id=export.pk),
        "download_url": _url(organisation, "export_download", export_id=export.pk),
    }
    return render(request, "hub/exports/export_detail.html", context)


def _status(request, organisation, export_id):
    """What the progress script polls: the status and how far the build has got."""
    export = export_services.export_for(organisation, export_id)
    export_services.report_export_nudge(export)
    return JsonResponse(
        {
            "status": export.status,
            "status_label": export.get_status_display(),
            "percent": export.percent_done,
            "rows_done": export.rows_done,
            "rows_total": export.rows_total,
        }
    )


def _download(request, organisation, export_id):
    export = export_services.export_for(organisation, export_id)
    if not export.is_downloadable:
        raise Http404("This export is not ready, or has expired")
    response = private_file_response(export.file, export.filename, fallback="reports")
    response["Content-Type"] = CONTENT_TYPES[export.format]
    export_services.report_export_downloaded(export=export, actor=request.user)
    return response


# --- An organisation's exports -------------------------------------------------------------

VIEW_REPORTS = Capability.VIEW_REPORTS


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(VIEW_REPORTS)
def exports(request):
    return _exports_page(request, request.organisation)


@never_cache
@require_GET
@organisation_view(VIEW_REPORTS)
def export_detail(request, export_id):
    return _detail_page(request, request.organisation, export_id)


@never_cache
@require_GET
@organisation_view(VIEW_REPORTS)
def export_status(request, export_id):
    return _status(request, request.organisation, export_id)


@never_cache
@require_GET
@organisation_view(VIEW_REPORTS)
def export_download(request, export_id):
    return _download(request, request.organisation, export_id)


# --- The city's exports, for hub admins ----------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@hub_admin_view
def city_exports(request):
    return _exports_page(request, None)


@never_cache
@require_GET
@hub_admin_view
def city_export_detail(request, export_id):
    return _detail_page(request, None, export_id)


@never_cache
@require_GET
@hub_admin_view
def city_export_status(request, export_id):
    return _status(request, None, export_id)


@never_cache
@require_GET
@hub_admin_view
def city_export_download(request, export_id):
    return _download(request, None, export_id)
