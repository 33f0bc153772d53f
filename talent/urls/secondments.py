"""Secondments between partners, under /manage/<org_slug>/secondments/ (namespace
"secondments"): opportunities a host offers, interest from other partners' staff, release
by the home organisation, and the agreements with their approvals."""

from django.urls import path

from talent.views import secondments

urlpatterns = [
    path("", secondments.overview, name="overview"),
    path("opportunities/", secondments.opportunity_list, name="opportunity_list"),
    path("opportunities/new/", secondments.opportunity_create, name="opportunity_create"),
    path(
        "opportunities/<uuid:opportunity_id>/",
        secondments.opportunity_detail,
        name="opportunity_detail",
    ),
    path(
        "opportunities/<uuid:opportunity_id>/edit/",
        secondments.opportunity_edit,
        name="opportunity_edit",
    ),
    path(
        "opportunities/<uuid:opportunity_id>/publish/",
        secondments.opportunity_publish,
        name="opportunity_publish",
    ),
    path(
        "opportunities/<uuid:opportunity_id>/close/",
        secondments.opportunity_close,
        name="opportunity_close",
    ),
    path(
        "opportunities/<uuid:open_opportunity_id>/interest/",
        secondments.interest_express,
        name="interest_express",
    ),
    path(
        "interests/<uuid:interest_id>/release/",
        secondments.interest_release,
        name="interest_release",
    ),
    path(
        "received-interests/<uuid:received_interest_id>/select/",
        secondments.interest_select,
        name="interest_select",
    ),
    path(
        "received-interests/<uuid:received_interest_id>/decline/",
        secondments.interest_decline,
        name="interest_decline",
    ),
    path("agreements/<uuid:agreement_id>/", secondments.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<uuid:agreement_id>/approve/",
        secondments.agreement_approve,
        name="agreement_approve",
    ),
    path(
        "agreements/<uuid:agreement_id>/activate/",
        secondments.agreement_activate,
        name="agreement_activate",
    ),
    path(
        "agreements/<uuid:agreement_id>/extend/",
        secondments.agreement_extend,
        name="agreement_extend",
    ),
    path(
        "agreements/<uuid:agreement_id>/end-early/",
        secondments.agreement_end_early,
        name="agreement_end_early",
    ),
    path(
        "agreements/<uuid:agreement_id>/complete/",
        secondments.agreement_complete,
        name="agreement_complete",
    ),
    path(
        "agreements/<uuid:agreement_id>/cancel/",
        secondments.agreement_cancel,
        name="agreement_cancel",
    ),
    path("approvers/", secondments.approvers, name="approvers"),
    path(
        "approvers/<int:approver_id>/remove/", secondments.approver_remove, name="approver_remove"
    ),
]
