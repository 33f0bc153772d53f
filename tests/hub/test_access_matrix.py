"""The access matrix: every URL of the portal, requested as each of six personas against
organisation A's records, gets the answer the matrix gives it.

The rule (hub/access.py): anonymous visitors are sent to sign in; anyone outside the
page's scope (another organisation, a person who is not a member, someone else's own
record, a hub admins' page for anyone but a hub admin) gets 404, the same answer as "does
not exist"; a member of the scope whose role lacks the capability gets 403.

The URLs are walked from the URL configuration: one with no row in MATRIX (or a place in
OUT_OF_SCOPE) fails `test_every_url_has_a_row_in_the_matrix`, naming it. Each row says
which records of A fill its path arguments and what each persona gets. Every persona
refused a page is refused a POST to it too, and that POST writes nothing.

docs/security.md ("Access matrix") says how to add a URL and how to run this.
"""

import functools
import inspect
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from hub.models import Membership
from tests.access_objects import DEFAULT_POST_DATA, POST_DATA, objects_of_a
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.hub.test_tenancy import STAFF_URLS

ANONYMOUS = "anonymous"
CANDIDATE = "candidate"  # signed in, no organisation; applied to A's vacancy
STAFF_A = "staff_a"  # HR staff of A: every capability but the admin's
ADMIN_A = "admin_a"  # admin of A
STAFF_B = "staff_b"  # HR staff of B, a partner with no part in A's records
HUB_ADMIN = "hub_admin"  # runs the portal from the Django admin; a member of nothing
PERSONAS = (ANONYMOUS, CANDIDATE, STAFF_A, ADMIN_A, STAFF_B, HUB_ADMIN)

# Answers other than a status code.
LOGIN = "302 to sign in"
ADMIN_LOGIN = "302 to the admin's sign in"
# Answers that refuse: a persona refused a page is refused a POST to it, and nothing changes.
REFUSALS = (LOGIN, ADMIN_LOGIN, 403, 404)


def everyone(answer) -> dict:
    return dict.fromkeys(PERSONAS, answer)


def but(answers: dict, *personas) -> dict:
    """The answers without those of `personas` (who may use the URL)."""
    return {persona: answer for persona, answer in answers.items() if persona not in personas}


# --- The named expectations ------------------------------------------------------------------

PUBLIC = everyone(200)
# For visitors: anyone signed in is sent on (sign in, sign up).
SIGNED_OUT = everyone(302) | {ANONYMOUS: 200}
SIGNED_IN = everyone(200) | {ANONYMOUS: LOGIN}
# Signed in, then sent to a step first (reauthenticate, a login in progress...).
SIGNED_IN_SENT_ON = everyone(302) | {ANONYMOUS: LOGIN}
# None of the personas may: 404 to them all, as for a record that does not exist.
NOBODY = everyone(404) | {ANONYMOUS: LOGIN}
# The candidate's own record (their application, trial shift, alert): nobody else's.
OWN = NOBODY | {CANDIDATE: 200}
# A staff page of A: its staff and admin; everyone else is outside A.
STAFF = NOBODY | {STAFF_A: 200, ADMIN_A: 200}
# A page needing a capability only A's admins have: A's staff get 403.
ADMIN = STAFF | {STAFF_A: 403}
# The hub admins' pages, outside any organisation.
HUB = NOBODY | {HUB_ADMIN: 200}
# The Django admin: only hub admins; anyone else is sent to its sign-in page.
DJANGO_ADMIN = everyone(ADMIN_LOGIN) | {HUB_ADMIN: 200}
# A view that takes only POST answers a GET 405, before anything else.
POST_ONLY = everyone(405)

# What a POST to one of A's POST-only URLs answers those who may not use it (what it
# does for those who may is tests/hub/test_tenancy.py's and each feature's tests' business).
STAFF_POST = but(NOBODY, STAFF_A, ADMIN_A)
ADMIN_POST = STAFF_POST | {STAFF_A: 403}


@dataclass(frozen=True)
class Row:
    """What each persona gets on GET (`expected`), which of A's records fill the path
    arguments where a record's key is not the argument's name (`arguments`), and what a
    POST answers each persona it refuses (`post`; by default the GET's refusals)."""

    expected: dict
    arguments: dict = field(default_factory=dict)
    post: dict | None = None

    def post_refusals(self) -> dict:
        if self.post is not None:
            return self.post
        return {persona: answer for persona, answer in self.expected.items() if answer in REFUSALS}


# Path arguments are filled from `objects` (tests/access_objects.py and `_records_of_a`
# below) by their name; `pk` is A's vacancy's. A row names another record where needed.
MATRIX = {
    # --- hub: public pages, the signed-in landing, invitations -----------------------------
    "hub:home": Row(PUBLIC),
    # Members land on their organisation's overview; the others on their account page.
    "hub:dashboard": Row(SIGNED_IN | {STAFF_A: 302, ADMIN_A: 302, STAFF_B: 302}),
    # Only for people with an organisation to switch between.
    "hub:switch_organisation": Row(NOBODY | {STAFF_A: 200, ADMIN_A: 200, STAFF_B: 200}),
    # The token is the secret: open to its invitee, who has no account yet; anyone signed
    # in as someone else is told it is not theirs.
    "hub:invitation_accept": Row(everyone(403) | {ANONYMOUS: 200}, {"token": "invitation_token"}),
    # --- hub: organisation A ----------------------------------------------------------------
    "hub:organisation_dashboard": Row(STAFF),
    "hub:organisation_profile": Row(ADMIN),
    "hub:organisation_reports": Row(STAFF),
    "hub:members": Row(ADMIN),
    "hub:member_change_role": Row(POST_ONLY, post=ADMIN_POST),
    "hub:member_remove": Row(ADMIN),
    "hub:invitation_revoke": Row(POST_ONLY, post=ADMIN_POST),
    "hub:exports": Row(STAFF),
    "hub:export_detail": Row(STAFF),
    "hub:export_status": Row(STAFF),
    "hub:export_download": Row(STAFF),
    "hub:audit_log": Row(ADMIN),
    # --- hub: the city, for hub admins ----------------------------------------------------
    "hub:city_reports": Row(HUB),
    "hub:city_exports": Row(HUB),
    "hub:city_export_detail": Row(HUB, {"export_id": "city_export_id"}),
    "hub:city_export_status": Row(HUB, {"export_id": "city_export_id"}),
    "hub:city_export_download": Row(HUB, {"export_id": "city_export_id"}),
    "hub:city_audit_log": Row(HUB),
    # --- talent: public jobs, pathways --------------------------------------------------------
    "jobs:search": Row(PUBLIC),
    "jobs:feed": Row(PUBLIC),
    "jobs:detail": Row(PUBLIC, {"pk": "job_id", "slug": "job_slug"}),
    # The short link sends everyone on to the job's full address.
    "jobs:detail_short": Row(everyone(301), {"pk": "job_id"}),
    "pathways:pathway_list": Row(PUBLIC),
    "pathways:pathway": Row(PUBLIC, {"slug": "pathway_slug"}),
    "bookings:trial_shifts": Row(PUBLIC, {"pk": "job_id"}),
    # --- talent: the candidate's own ---------------------------------------------------------
    "candidate:apply": Row(SIGNED_IN, {"pk": "job_id"}),
    "candidate:applications": Row(SIGNED_IN),
    "candidate:application": Row(OWN),
    "candidate:application_cv": Row(OWN),
    "candidate:application_withdraw": Row(OWN),
    # A sent application cannot be deleted: its owner is sent back to it.
    "candidate:application_delete": Row(OWN | {CANDIDATE: 302}),
    "candidate:profile": Row(SIGNED_IN),
    "candidate:alerts": Row(SIGNED_IN),
    # The search page's form posts here; a GET goes back to the alerts.
    "candidate:alert_create": Row(everyone(302)),
    "candidate:alert_delete": Row(POST_ONLY, post=but(NOBODY, CANDIDATE)),
    # The token in the email is the secret: no sign-in.
    "candidate:alert_unsubscribe": Row(PUBLIC, {"token": "alert_token"}),
    "bookings:interview": Row(OWN),
    "bookings:interview_ics": Row(OWN),
    "bookings:interview_cancel": Row(OWN),
    "bookings:my_trial_shifts": Row(SIGNED_IN),
    "bookings:trial_shift_ics": Row(OWN, {"request_id": "confirmed_trial_request_id"}),
    "bookings:trial_shift_cancel": Row(OWN, {"request_id": "confirmed_trial_request_id"}),
    "pool_candidate:profile": Row(SIGNED_IN),
    # Only someone in the pool can leave it: the others are sent to join.
    "pool_candidate:leave": Row(SIGNED_IN_SENT_ON | {CANDIDATE: 200}),
    "pool_candidate:invitations": Row(SIGNED_IN),
    "pool_candidate:invitation_decline": Row(
        POST_ONLY | {ANONYMOUS: LOGIN},
        {"invitation_id": "pool_invitation_id"},
        post=but(NOBODY, CANDIDATE),
    ),
    # Everything the portal holds about the person, and erasing their account: both ask
    # for the password again first. Members and hub admins may not erase themselves (403,
    # with the reason).
    "data_rights:export": Row(SIGNED_IN_SENT_ON),
    "data_rights:erase": Row(everyone(403) | {ANONYMOUS: LOGIN, CANDIDATE: 302}),
    "my_secondments:list": Row(SIGNED_IN),
    # The interest is a colleague of A's: nobody here may withdraw it.
    "my_secondments:interest_withdraw": Row(POST_ONLY, post=NOBODY),
    # --- talent: organisation A's vacancies and applications ------------------------------
    "vacancies:vacancy_list": Row(STAFF),
    "vacancies:vacancy_create": Row(STAFF),
    "vacancies:vacancy_detail": Row(STAFF),
    "vacancies:vacancy_edit": Row(STAFF),
    "vacancies:vacancy_publish": Row(POST_ONLY, post=STAFF_POST),
    "vacancies:vacancy_approve": Row(POST_ONLY, post=ADMIN_POST),
    "vacancies:vacancy_return_to_draft": Row(ADMIN),
    "vacancies:vacancy_close": Row(STAFF),
    "vacancies:vacancy_mark_filled": Row(STAFF),
    "vacancies:vacancy_duplicate": Row(POST_ONLY, post=STAFF_POST),
    "vacancies:vacancy_applications": Row(STAFF),
    "vacancies:application_detail": Row(STAFF),
    "vacancies:application_cv": Row(STAFF),
    "pipeline:vacancy_pipeline": Row(STAFF),
    "pipeline:vacancy_pipeline_csv": Row(STAFF),
    "pipeline:application_move": Row(POST_ONLY, post=STAFF_POST),
    "pipeline:application_criteria": Row(POST_ONLY, post=STAFF_POST),
    "pipeline:application_note_add": Row(POST_ONLY, post=STAFF_POST),
    "pipeline:email_templates": Row(STAFF),
    "pipeline:email_template_edit": Row(ADMIN),
    "pipeline:email_template_reset": Row(POST_ONLY, post=ADMIN_POST),
    "offers:offer_conditional": Row(STAFF),
    "offers:checks_start": Row(POST_ONLY, post=STAFF_POST),
    "offers:check_record": Row(STAFF),
    "offers:offer_unconditional": Row(STAFF),
    "offers:application_hire": Row(STAFF),
    "offers:time_to_hire": Row(STAFF),
    "offers:hiring_targets": Row(ADMIN),
    "interviews:slots": Row(STAFF),
    "interviews:slot_create": Row(STAFF),
    "interviews:slot_create_day": Row(STAFF),
    "interviews:slot_detail": Row(STAFF),
    "interviews:slot_delete": Row(STAFF),
    "interviews:book": Row(STAFF),
    "interviews:booking_cancel": Row(POST_ONLY, post=STAFF_POST),
    "interviews:trial_slots": Row(STAFF),
    "interviews:trial_slot_create": Row(STAFF),
    "interviews:trial_slot_delete": Row(STAFF),
    "interviews:trial_requests": Row(STAFF),
    "interviews:trial_request": Row(STAFF),
    "interviews:trial_request_confirm": Row(POST_ONLY, post=STAFF_POST),
    "interviews:trial_request_decline": Row(STAFF),
    # --- talent: organisation A's mobility ----------------------------------------------------
    "secondments:overview": Row(STAFF),
    "secondments:opportunity_list": Row(STAFF),
    "secondments:opportunity_create": Row(STAFF),
    "secondments:opportunity_detail": Row(STAFF),
    "secondments:opportunity_edit": Row(STAFF),
    "secondments:opportunity_publish": Row(POST_ONLY, post=STAFF_POST),
    "secondments:opportunity_close": Row(POST_ONLY, post=STAFF_POST),
    "secondments:interest_express": Row(STAFF),
    "secondments:interest_release": Row(ADMIN),
    "secondments:interest_select": Row(POST_ONLY, post=STAFF_POST),
    "secondments:interest_decline": Row(STAFF),
    "secondments:agreement_detail": Row(STAFF),
    # Staff who are not named approvers get 403 from the service (tests/talent).
    "secondments:agreement_approve": Row(POST_ONLY, post=STAFF_POST),
    "secondments:agreement_activate": Row(POST_ONLY, post=STAFF_POST),
    "secondments:agreement_extend": Row(STAFF),
    "secondments:agreement_end_early": Row(STAFF),
    "secondments:agreement_complete": Row(POST_ONLY, post=STAFF_POST),
    "secondments:agreement_cancel": Row(STAFF),
    "secondments:approvers": Row(ADMIN),
    "secondments:approver_remove": Row(POST_ONLY, post=ADMIN_POST),
    "rotations:scheme_list": Row(STAFF),
    "rotations:scheme_create": Row(STAFF),
    "rotations:scheme_detail": Row(STAFF),
    "rotations:scheme_edit": Row(STAFF),
    "rotations:placements": Row(STAFF),
    "rotations:participant_add": Row(STAFF),
    "rotations:participant_edit": Row(STAFF),
    "pool:search": Row(STAFF),
    "pool:profile": Row(STAFF),
    "pool:invite": Row(STAFF),
    "mobility_reports:reports": Row(STAFF),
    "mobility_hub:reports": Row(HUB),
    # --- portability: organisation A, a signatory ------------------------------------------
    "framework:overview": Row(STAFF),
    "framework:sign": Row(ADMIN),
    "framework:contacts": Row(ADMIN),
    "framework:withdraw": Row(ADMIN),
    "mobilisations:list": Row(STAFF),
    "mobilisations:create": Row(STAFF),
    "mobilisations:detail": Row(STAFF),
    "mobilisations:activate": Row(POST_ONLY, post=ADMIN_POST),
    "mobilisations:stand_down": Row(ADMIN),
    "deployments:deployment_list": Row(STAFF),
    "deployments:deployment_detail": Row(STAFF),
    "deployments:deployment_checks": Row(STAFF),
    "deployments:deployment_start": Row(STAFF),
    "deployments:deployment_return": Row(STAFF),
    "deployments:check_acceptance": Row(STAFF),
    "deployments:check_acceptance_edit": Row(ADMIN),
    "requests:board": Row(STAFF),
    "requests:request_create": Row(STAFF),
    "requests:hosted_request": Row(STAFF),
    "requests:request_cancel": Row(STAFF),
    "requests:offer_accept": Row(POST_ONLY, post=STAFF_POST),
    "requests:offer_decline": Row(STAFF),
    "requests:offer_create": Row(STAFF),
    "requests:offers": Row(STAFF),
    "requests:offer_withdraw": Row(POST_ONLY, post=STAFF_POST),
    "portability_reports:reports": Row(STAFF),
    # --- portability: the hub admins' pages ------------------------------------------------
    "portability_hub:reports": Row(HUB),
    "portability_hub:mobilisations": Row(HUB),
    "portability_hub:mobilisation_activate": Row(POST_ONLY, post=but(NOBODY, HUB_ADMIN)),
    "portability_hub:mobilisation_decline": Row(HUB),
    "portability_hub:mobilisation_stand_down": Row(HUB),
    # --- campaigns: organisation A leads one ------------------------------------------------
    "campaigns:campaign_list": Row(STAFF),
    "campaigns:campaign_create": Row(STAFF),
    "campaigns:campaign_detail": Row(STAFF),
    "campaigns:campaign_edit": Row(STAFF),
    "campaigns:capture": Row(STAFF),
    "campaigns:resident_list": Row(STAFF),
    "campaigns:journey": Row(STAFF),
    "campaigns:consent_withdraw": Row(STAFF),
    "campaigns:import_upload": Row(STAFF),
    "campaigns:import_review": Row(STAFF),
    "campaign_events:event_create": Row(STAFF),
    "campaign_events:event_detail": Row(STAFF),
    "campaign_events:event_edit": Row(STAFF),
    "campaign_events:event_cancel": Row(STAFF),
    "campaign_events:attendance": Row(POST_ONLY, post=STAFF_POST),
    "campaign_reports:link_list": Row(STAFF),
    "campaign_reports:link_qr": Row(STAFF),
    "campaign_reports:funnel": Row(STAFF),
    "campaign_reports:compare": Row(STAFF),
    # --- campaigns: public pages; the tokens in emails are the secret -----------------------
    "campaign_public:campaign": Row(PUBLIC, {"slug": "campaign_slug"}),
    "campaign_public:code_entry": Row(PUBLIC),
    # A poster's link counts the visit and sends everyone on to the campaign.
    "campaign_public:link": Row(everyone(302), {"code": "link_code"}),
    "campaign_public:event_list": Row(PUBLIC),
    "campaign_public:event": Row(PUBLIC),
    "campaign_public:event_ics": Row(PUBLIC),
    "campaign_public:booking": Row(PUBLIC, {"token": "booking_token"}),
    "campaign_public:contact_preferences": Row(PUBLIC, {"token": "contact_token"}),
    # --- allauth: accounts and two-factor -------------------------------------------------
    "account_login": Row(SIGNED_OUT),
    "account_signup": Row(SIGNED_OUT),
    # Signing out asks first; a visitor has nothing to sign out of and goes home.
    "account_logout": Row(everyone(200) | {ANONYMOUS: 302}),
    "account_inactive": Row(PUBLIC),
    "account_reauthenticate": Row(SIGNED_IN),
    "account_email": Row(SIGNED_IN),
    "account_email_verification_sent": Row(PUBLIC),
    # A made-up key: the page says the link is invalid, to anyone.
    "account_confirm_email": Row(PUBLIC, {"key": "made_up_key"}),
    "account_change_password": Row(SIGNED_IN),
    # Everyone here has a password already: they are sent to change it.
    "account_set_password": Row(SIGNED_IN_SENT_ON),
    "account_reset_password": Row(PUBLIC),
    "account_reset_password_done": Row(PUBLIC),
    # A made-up key: the page says the link is invalid, to anyone.
    "account_reset_password_from_key": Row(
        PUBLIC, {"uidb36": "made_up_uidb36", "key": "made_up_key"}
    ),
    "account_reset_password_from_key_done": Row(PUBLIC),
    # No sign-in by code is under way: back to the start.
    "account_confirm_login_code": Row(SIGNED_IN_SENT_ON),
    "mfa_index": Row(SIGNED_IN),
    # No sign-in is waiting for its second step: back to the start.
    "mfa_authenticate": Row(SIGNED_IN_SENT_ON),
    # Only those with two-factor confirm with it; the candidate has none, so reauthenticates
    # with the password.
    "mfa_reauthenticate": Row(SIGNED_IN | {CANDIDATE: 302}),
    # Changing two-factor asks for the password again first; the candidate has no
    # authenticator to deactivate.
    "mfa_activate_totp": Row(SIGNED_IN_SENT_ON),
    "mfa_deactivate_totp": Row(SIGNED_IN_SENT_ON | {CANDIDATE: 404}),
    "mfa_generate_recovery_codes": Row(SIGNED_IN_SENT_ON),
    # Nobody here has recovery codes yet.
    "mfa_view_recovery_codes": Row(NOBODY),
    "mfa_download_recovery_codes": Row(NOBODY),
    # --- the Django admin: its index (every model's list is added below) ---------------------
    "admin:index": Row(DJANGO_ADMIN),
}

# The Django admin's own URLs go through `admin_view`, which lets in hub admins only (and
# there are no custom admin views): the index and every model's list are requested; each
# model's add, change, delete and history pages have the same guard. The index stands for
# them all in the POST test.
MATRIX |= {
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist": Row(DJANGO_ADMIN, post={})
    for model in admin.site._registry
}

# URLs no row requests, each with the reason. A key ending in ":" stands for a namespace.
OUT_OF_SCOPE = {
    "admin:": "the rest of the Django admin: the same `admin_view` guard as its index and "
    "lists, which MATRIX requests",
    "hub:health": "the load balancers' probe: no sign-in, the same answer for everyone, and "
    "it waits a second for Celery workers; tests/hub/test_health.py checks it",
}


# --- The URL configuration ---------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    arguments: frozenset
    view: object

    def takes_post(self) -> bool:
        """False for a class-based view without `post`, or a view behind `require_GET` (or
        `require_http_methods` without POST): they answer a POST 405 before anything else."""
        view = self.view
        if hasattr(view, "view_class"):
            return hasattr(view.view_class, "post")
        while inspect.isfunction(view):
            methods = inspect.getclosurevars(view).nonlocals.get("request_method_list")
            if methods is not None:
                return "POST" in methods
            view = getattr(view, "__wrapped__", None)
        return True


@functools.cache
def url_patterns() -> dict[str, Pattern]:
    """Every pattern of the URL configuration by "namespace:name" (or its route, when it
    has no name)."""
    found = {}

    def walk(patterns, namespace, route, arguments):
        for pattern in patterns:
            here = route + str(pattern.pattern)
            names = arguments | set(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner, here, names)
            else:
                name = pattern.name or here
                key = f"{namespace}:{name}" if namespace else name
                found[key] = Pattern(frozenset(names), pattern.callback)

    walk(get_resolver().url_patterns, None, "", frozenset())
    return found


def _out_of_scope(name: str) -> bool:
    return any(
        name == entry or (entry.endswith(":") and name.startswith(entry)) for entry in OUT_OF_SCOPE
    )


def test_every_url_has_a_row_in_the_matrix():
    missing = sorted(
        name for name in url_patterns() if name not in MATRIX and not _out_of_scope(name)
    )
    assert not missing, (
        f"No row for {', '.join(missing)}: add it to MATRIX in tests/hub/test_access_matrix.py"
    )


def test_every_row_of_the_matrix_names_a_url():
    patterns = url_patterns()
    named = [*MATRIX, *(entry for entry in OUT_OF_SCOPE if not entry.endswith(":"))]
    stale = sorted(name for name in named if name not in patterns)
    assert not stale, f"MATRIX or OUT_OF_SCOPE names URLs that no longer exist: {stale}"


def test_every_row_gives_an_answer_for_every_persona():
    assert [name for name, row in MATRIX.items() if set(row.expected) != set(PERSONAS)] == []


def test_the_matrix_agrees_with_the_tenancy_table():
    """tests/hub/test_tenancy.py lists the staff URLs with the role each needs: a GET page
    needing the admin's role is ADMIN here, the others STAFF."""
    disagreeing = [
        name
        for name, (method, needs_admin) in STAFF_URLS.items()
        if method == "get"
        and name in MATRIX
        and MATRIX[name].expected != (ADMIN if needs_admin else STAFF)
    ]
    assert disagreeing == []


# --- The world: A's records and the personas, built once for the module -------------------


@dataclass(frozen=True)
class World:
    objects: dict
    session_keys: dict

    def client(self, persona: str) -> Client:
        """A fresh client for the persona, signed in with the session made for it."""
        client = Client()
        if persona in self.session_keys:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.session_keys[persona]
        return client


def _records_of_a(org_a, admin_a, candidate, hub_admin, objects) -> dict:
    """What the public and the candidate's own pages name, beyond the staff URLs' records:
    a live job of A's with trial shifts, the candidate's interview (booked on A's
    application) and confirmed trial shift, job alert and invitation from the talent pool,
    a career pathway, the tokens of A's invitation, campaign booking and contact
    preferences, and a city export."""
    import datetime

    from django.utils import timezone

    from campaigns.models import Engagement, Event
    from campaigns.services.events import booking_token, contact_token
    from hub.export_services import report_export_request
    from hub.models import Invitation
    from hub.services import hash_token
    from talent.models import (
        CareerPathway,
        InterviewBooking,
        PathwayStep,
        PoolInvitation,
        TrialShiftRequest,
        TrialShiftSlot,
    )
    from tests.campaigns.builders import make_booking, make_resident
    from tests.factories import SavedSearchFactory, VacancyFactory
    from tests.talent.mobility_builders import make_pool_profile

    job = VacancyFactory(organisation=org_a, trial_shift_available=True)
    starts_at = timezone.now() + datetime.timedelta(days=2)
    confirmed = TrialShiftRequest.objects.create(
        slot=TrialShiftSlot.objects.create(
            vacancy=job,
            location="Ward 7",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=4),
        ),
        candidate=candidate,
        status=TrialShiftRequest.Status.CONFIRMED,
    )
    InterviewBooking.objects.create(
        application_id=objects["application_id"], slot_id=objects["slot_id"], booked_by=admin_a
    )
    saved_search = SavedSearchFactory(user=candidate)
    pool_invitation = PoolInvitation.objects.create(
        profile=make_pool_profile(candidate), vacancy=job, organisation=org_a, invited_by=admin_a
    )
    pathway = CareerPathway.objects.create(
        title="Porter to registered nurse", slug="porter-to-nurse", summary="Step by step."
    )
    PathwayStep.objects.create(pathway=pathway, position=1, role_title="Porter")
    invitation_token = "invitation-token-of-a"
    Invitation.objects.filter(pk=objects["invitation_id"]).update(
        token_hash=hash_token(invitation_token)
    )
    engagement = Engagement.objects.select_related("campaign", "resident").get(
        pk=objects["engagement_id"]
    )
    booking = make_booking(
        Event.objects.get(pk=objects["event_id"]), make_resident(email="booked@example.org")
    )
    city_export = report_export_request(
        organisation=None, actor=hub_admin, table_keys=["city.open_vacancies"], format="csv"
    )
    return {
        "org_slug": org_a.slug,
        "job_id": job.pk,
        "job_slug": job.slug,
        "confirmed_trial_request_id": confirmed.pk,
        "saved_search_id": saved_search.pk,
        "alert_token": saved_search.unsubscribe_token,
        "pool_invitation_id": pool_invitation.pk,
        "pathway_slug": pathway.slug,
        "invitation_token": invitation_token,
        "campaign_slug": engagement.campaign.slug,
        "link_code": engagement.campaign.links.get().code,
        "booking_token": booking_token(booking),
        "contact_token": contact_token(engagement.resident),
        "city_export_id": city_export.pk,
        "made_up_key": "made-up-key",
        "made_up_uidb36": "zz",
    }


def _reference_data():
    """The staff groups and the framework's terms the migrations add, as
    tests/conftest.py's `_database_baseline` puts them back after transactional tests."""
    from importlib import import_module

    from django.apps import apps

    from portability.models import FrameworkVersion
    from talent.models import StaffGroup

    if not StaffGroup.objects.exists():
        import_module("talent.migrations.0002_staff_groups").add_staff_groups(apps, None)
    if not FrameworkVersion.objects.exists():
        import_module("portability.migrations.0002_framework_terms").publish_version_1(apps, None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A's records and the personas' sessions, made once in a transaction rolled back
    when the module ends; each test runs in a savepoint of it (the `db` fixture), so
    several hundred requests cost one set-up."""
    with django_db_blocker.unblock(), transaction.atomic():
        _reference_data()
        org_a = OrganisationFactory(name="Leeds Teaching Hospitals NHS Trust", slug="lth")
        org_b = OrganisationFactory(name="Leeds City Council", slug="council")
        users = {
            CANDIDATE: UserFactory(),
            STAFF_A: MembershipFactory(organisation=org_a, role=Membership.Role.STAFF).user,
            ADMIN_A: MembershipFactory(organisation=org_a, role=Membership.Role.ADMIN).user,
            STAFF_B: MembershipFactory(organisation=org_b, role=Membership.Role.STAFF).user,
            HUB_ADMIN: UserFactory(is_staff=True, is_superuser=True, totp=True),
        }
        objects = objects_of_a(org_a, users[ADMIN_A], candidate=users[CANDIDATE])
        objects |= _records_of_a(org_a, users[ADMIN_A], users[CANDIDATE], users[HUB_ADMIN], objects)
        session_keys = {}
        for persona, user in users.items():
            client = Client()
            client.force_login(user)
            session_keys[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield World(objects, session_keys)
        transaction.set_rollback(True)


# --- Requesting every URL as every persona ---------------------------------------------------


def _url(name: str, objects: dict) -> str:
    row = MATRIX[name]
    kwargs = {}
    for argument in url_patterns()[name].arguments:
        default = "vacancy_id" if argument == "pk" else argument
        kwargs[argument] = objects[row.arguments.get(argument, default)]
    return reverse(name, kwargs=kwargs)


def _answer(response):
    """The status, or where a redirect to a sign-in page goes."""
    if response.status_code == 302:
        if response.url.startswith(reverse("account_login")):
            return LOGIN
        if response.url.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
    return response.status_code


def _rows_written() -> int:
    """Rows inserted, updated or deleted so far in this transaction, from PostgreSQL's
    statistics; sessions and the database cache (written by any request) left out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables"
            " WHERE relname NOT IN ('django_session', %s)",
            [settings.CACHES["default"]["LOCATION"]],
        )
        return cursor.fetchone()[0]


def _differences(answers: dict, expected: dict) -> str:
    return "; ".join(
        f"as {persona} it answers {answers[persona]!r}, the matrix says {expected[persona]!r}"
        for persona in answers
        if answers[persona] != expected[persona]
    )


# Issue 10's budget for a page, whoever opens it: a page's own tests prove its count does
# not grow with the rows; this proves no page is over it. The Django admin is Django's.
QUERY_BUDGET = 10


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_the_answer_the_matrix_gives(name, world, db):
    url = _url(name, world.objects)
    answers, queries = {}, {}
    for persona in PERSONAS:
        client = world.client(persona)
        answers[persona] = _answer(client.get(url))
        # Counted on a second visit, as a page's own tests count: the first may fill
        # caches (a dashboard's figures, a session's acting organisation) once.
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[persona] = len(captured)
    expected = MATRIX[name].expected
    assert answers == expected, f"GET {name}: {_differences(answers, expected)}"
    if not name.startswith("admin:"):
        # Pages shown; a refusal or a redirect (allauth's reauthentication) is not one.
        over = {
            persona: n
            for persona, n in queries.items()
            if answers[persona] == 200 and n > QUERY_BUDGET
        }
        assert not over, f"GET {name} runs more than {QUERY_BUDGET} queries: {over}"


# Every URL whose view takes POST, with the personas it refuses.
POSTS = sorted(
    name
    for name, row in MATRIX.items()
    if row.post_refusals() and url_patterns()[name].takes_post()
)


@pytest.mark.parametrize("name", POSTS)
def test_the_personas_refused_a_url_cannot_change_anything_by_posting_to_it(name, world, db):
    url = _url(name, world.objects)
    data = POST_DATA.get(name, DEFAULT_POST_DATA)
    expected = MATRIX[name].post_refusals()
    answers, writers = {}, []
    for persona in expected:
        before = _rows_written()
        answers[persona] = _answer(world.client(persona).post(url, data))
        if _rows_written() != before:
            writers.append(persona)
    assert answers == expected, f"POST {name}: {_differences(answers, expected)}"
    assert writers == [], f"POST {name} as {', '.join(writers)} wrote to the database"


def test_the_write_check_sees_a_post_that_changes_something(world, db):
    """Not blind: A's admin making a colleague an admin is counted as a write."""
    url = _url("hub:member_change_role", world.objects)
    before = _rows_written()
    assert world.client(ADMIN_A).post(url, {"role": "admin"}).status_code == 302
    assert _rows_written() > before


# --- Records A shares with a partner -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "seen_at"),
    [
        ("campaigns:campaign_edit", "campaigns:campaign_detail"),
        *(
            (name, "rotations:scheme_detail")
            for name in (
                "rotations:scheme_edit",
                "rotations:placements",
                "rotations:participant_add",
                "rotations:participant_edit",
            )
        ),
    ],
)
def test_a_partner_who_sees_a_shared_record_gets_403_where_only_a_may_change_it(
    name, seen_at, world, db
):
    """A partner of A's campaign, and the host of a placement of A's rotation scheme, see
    them (they are inside their scope: 200 at `seen_at`), but only A changes them."""
    from campaigns.models import Campaign
    from talent.models import RotationPlacement

    partner = OrganisationFactory(name="Forum Central", slug="forum-central")
    Campaign.objects.get(pk=world.objects["campaign_id"]).partner_organisations.add(partner)
    RotationPlacement.objects.create(
        scheme_id=world.objects["scheme_id"],
        position=3,
        organisation=partner,
        service="Community nursing",
        weeks=8,
    )
    client = Client()
    client.force_login(MembershipFactory(organisation=partner, role=Membership.Role.ADMIN).user)
    objects = world.objects | {"org_slug": partner.slug}
    assert client.get(_url(seen_at, objects)).status_code == 200
    assert client.get(_url(name, objects)).status_code == 403
