"""Demo records for the Staff Portability Framework: most demo partners have signed
version 1 (with the demo people as lead and deputy where they exist, and a few fictional
contacts where they do not), the big trusts and the council accept each other's checks,
last winter's mobilisation at Leeds Teaching Hospitals is stood down with a returned
deployment, and Leeds Community Healthcare has an active one on the live board.

Built through the portability services, so the demo exercises the real rules (and their
emails go through the outbox like any other). Idempotent: an organisation that has ever
signed is left alone, a pair of organisations with any check acceptance is left alone,
and a mobilisation is matched on its organisation and service.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hub import services as hub_services
from hub.models import Membership, Organisation, User
from portability.models import (
    CheckAcceptance,
    Mobilisation,
    PreDeploymentChecks,
    RegistrationBody,
    Signatory,
)
from portability.selectors.framework import current_version
from portability.services.deployments import (
    check_acceptance_set,
    checks_record,
    deployment_home_feedback,
    deployment_return,
    deployment_start,
)
from portability.services.framework import framework_sign
from portability.services.mobilisations import (
    mobilisation_activate,
    mobilisation_raise,
    mobilisation_stand_down,
)
from portability.services.requests import (
    staff_offer_accept,
    staff_offer_create,
    staff_request_create,
)
from talent.models import StaffGroup

LTHT = "Leeds Teaching Hospitals NHS Trust"
LCH = "Leeds Community Healthcare NHS Trust"
LYPFT = "Leeds and York Partnership NHS Foundation Trust"
COUNCIL = "Leeds City Council"
CONFED = "Leeds GP Confederation"
CARE_ASSOCIATION = "Leeds Care Association"
ARMLEY_GP = "Armley Moor Medical Practice (demo)"
CARE_HOME = "Wortley Beck Care Home (demo)"
HOME_CARE = "Aire Valley Home Care (demo)"

HUB_ADMIN = "hub.admin@example.org"
LTHT_ADMIN, LTHT_HR = "admin.lth@example.org", "hr.lth@example.org"
COUNCIL_ADMIN = "admin.council@example.org"  # also HR staff at Leeds Community Healthcare
LCH_LEAD = "portability.lch@example.org"

# organisation, lead (email, name), deputy (email, name). A name means a fictional
# contact, made a member (the lead an admin, who signs; the deputy staff); None means a
# demo person from hub/demo.py, already a member.
SIGNATORIES = [
    (LTHT, (LTHT_ADMIN, None), (LTHT_HR, None)),
    (LCH, (LCH_LEAD, "Grace Whitaker"), (COUNCIL_ADMIN, None)),
    (COUNCIL, (COUNCIL_ADMIN, None), ("portability.council@example.org", "Tom Ellis")),
    (
        LYPFT,
        ("portability.lypft@example.org", "Nadia Hussain"),
        ("deputy.lypft@example.org", "Ben Carter"),
    ),
    (
        CONFED,
        ("portability.confed@example.org", "Fiona Walsh"),
        ("deputy.confed@example.org", "Raj Patel"),
    ),
    (
        CARE_ASSOCIATION,
        ("portability.lca@example.org", "Helen Brook"),
        ("deputy.lca@example.org", "Daniel Owusu"),
    ),
    (
        ARMLEY_GP,
        ("portability.armley@example.org", "Dr Sarah Lowe"),
        ("deputy.armley@example.org", "Kim Jackson"),
    ),
    (
        CARE_HOME,
        ("portability.wortley@example.org", "Joy Mensah"),
        ("deputy.wortley@example.org", "Paul Kirk"),
    ),
    (
        HOME_CARE,
        ("portability.airevalley@example.org", "Linda Shaw"),
        ("deputy.airevalley@example.org", "Mo Ahmed"),
    ),
]

# Each big trust and the council accept each other's checks as they are: a DBS within
# three years, training and occupational health within their refresher period. Each
# checks professional registration itself (the registers are online).
BIG_TRUSTS = (LTHT, LCH, LYPFT)
ACCEPTANCES = {
    CheckAcceptance.Check.IDENTITY: (True, None),
    CheckAcceptance.Check.RIGHT_TO_WORK: (True, None),
    CheckAcceptance.Check.DBS: (True, 1095),
    CheckAcceptance.Check.REGISTRATION: (False, None),
    CheckAcceptance.Check.MANDATORY_TRAINING: (True, 365),
    CheckAcceptance.Check.OCCUPATIONAL_HEALTH: (True, 365),
    CheckAcceptance.Check.INDEMNITY: (True, None),
}

WINTER_SERVICE = "Acute medical wards, St James's University Hospital"
ACTIVE_SERVICE = "District nursing, east Leeds neighbourhood teams"


def _membership(email: str, organisation: Organisation) -> Membership:
    return Membership.objects.select_related("user", "organisation").get(
        user__email=email, organisation=organisation
    )


def _contact(email: str, name: str | None, organisation: Organisation, role: str, created):
    """A demo person, or a fictional contact made a member of the organisation (no
    password: they receive the framework's emails but do not sign in)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, name=name)
        created["people"] += 1
    hub_services.membership_create(organisation=organisation, user=user, role=role)
    return user


def _sign(organisations: dict, created: dict) -> None:
    version = current_version()
    for name, (lead_email, lead_name), (deputy_email, deputy_name) in SIGNATORIES:
        organisation = organisations.get(name)
        if organisation is None or Signatory.objects.filter(organisation=organisation).exists():
            continue
        lead = _contact(lead_email, lead_name, organisation, Membership.Role.ADMIN, created)
        deputy = _contact(deputy_email, deputy_name, organisation, Membership.Role.STAFF, created)
        framework_sign(
            organisation=organisation, version=version, lead=lead, deputy=deputy, actor=lead
        )
        created["signatories"] += 1


def _accept_checks(organisations: dict, created: dict) -> None:
    council = organisations[COUNCIL]
    pairs = [(organisations[t], council) for t in BIG_TRUSTS]
    pairs += [(council, organisations[t]) for t in BIG_TRUSTS]
    for organisation, provider in pairs:
        signature = Signatory.objects.current().filter(organisation=organisation).first()
        if (
            signature is None
            or not Signatory.objects.current().filter(organisation=provider).exists()
            or CheckAcceptance.objects.filter(organisation=organisation, provider=provider).exists()
        ):
            continue  # one of them has withdrawn since, or it is there already
        check_acceptance_set(
            organisation=organisation,
            provider=provider,
            actor=signature.lead,
            membership=Membership.objects.get(user=signature.lead, organisation=organisation),
            acceptances=ACCEPTANCES,
        )
        created["check acceptances"] += len(ACCEPTANCES)


def _home_checks() -> dict:
    """Every check a home organisation records (but registration), done today."""
    day = timezone.localdate()
    return {
        "identity_checked_on": day,
        "right_to_work_checked_on": day,
        "dbs_level": PreDeploymentChecks.DbsLevel.ENHANCED,
        "dbs_issued_on": day - datetime.timedelta(days=400),
        "mandatory_training_on": day - datetime.timedelta(days=60),
        "occupational_health_cleared_on": day,
        "indemnity_confirmed_on": day,
    }


def _last_winter(today: datetime.date) -> datetime.date:
    """The second Monday of the most recent January before this winter."""
    year = today.year if today.month >= 3 else today.year - 1
    day = datetime.date(year, 1, 8)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _move(obj, delta: datetime.timedelta, *fields: str, days_later: dict | None = None) -> None:
    """Move the row's given dates and times by `delta` (and those in `days_later` that
    many days further on), without touching anything else."""
    row = type(obj).objects.get(pk=obj.pk)
    later = days_later or {}
    values = {
        name: getattr(row, name) + delta + datetime.timedelta(days=later.get(name, 0))
        for name in (*fields, *later)
        if getattr(row, name) is not None
    }
    type(obj).objects.filter(pk=obj.pk).update(**values)


def _winter_mobilisation(organisations: dict, hub_admin: User, groups: dict, created) -> None:
    """Last winter at Leeds Teaching Hospitals: a nurse from Leeds Community Healthcare,
    checked, deployed for two weeks and returned, then the mobilisation stood down."""
    ltht, lch = organisations[LTHT], organisations[LCH]
    if Mobilisation.objects.filter(organisation=ltht, service=WINTER_SERVICE).exists():
        return
    host_admin, host_hr = _membership(LTHT_ADMIN, ltht), _membership(LTHT_HR, ltht)
    home = _membership(COUNCIL_ADMIN, lch)
    today = timezone.localdate()
    # The services only take today or later for a mobilisation's start (and the offer's
    # agreement, the checks, the start and the return happen "now"), so it all happens
    # today and the rows' dates and times are then moved back to last winter below.
    mobilisation = mobilisation_raise(
        organisation=ltht,
        actor=host_admin.user,
        service=WINTER_SERVICE,
        reason=(
            "Flu and norovirus admissions at their winter peak, with a quarter of ward "
            "nurses off sick; two wards at risk of closing to admissions."
        ),
        urgency=Mobilisation.Urgency.CRITICAL,
        starts_on=today,
        expected_end_on=today + datetime.timedelta(days=27),
    )
    mobilisation = mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    staff_request = staff_request_create(
        mobilisation=mobilisation,
        actor=host_hr.user,
        membership=host_hr,
        role="Band 5 staff nurse, acute medicine",
        staff_group=groups["nursing-and-midwifery"],
        registration_needed=RegistrationBody.NMC,
        number_needed=1,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=13),
        shift_pattern="Long days, 3 or 4 a week",
        site="St James's University Hospital, ward J24",
    )
    offer = staff_offer_create(
        staff_request=staff_request,
        actor=home.user,
        membership=home,
        staff_name="Bethany Clarke",
        staff_email="bethany.clarke@example.org",
        job_title="Community staff nurse",
        registration_body=RegistrationBody.NMC,
        registration_number="18B2345E",
        staff_agreed_on=today,
    )
    deployment = staff_offer_accept(offer=offer, actor=host_hr.user, membership=host_hr)
    checks_record(
        deployment=deployment,
        actor=home.user,
        membership=home,
        registration_body=RegistrationBody.NMC,
        registration_number="18B2345E",
        registration_expires_on=today + datetime.timedelta(days=300),
        **_home_checks(),
    )
    checks_record(
        deployment=deployment, actor=host_hr.user, membership=host_hr, local_induction_on=today
    )
    deployment_start(deployment=deployment, actor=host_hr.user, membership=host_hr)
    deployment_return(
        deployment=deployment,
        actor=host_admin.user,
        membership=host_admin,
        days_worked=10,
        hours_worked=Decimal("115.00"),
        recharge_amount=Decimal("2760.00"),
        feedback=(
            "Bethany settled in on the first shift and kept ward J24 open through the "
            "worst fortnight. Thank you."
        ),
    )
    deployment_home_feedback(
        deployment=deployment,
        actor=home.user,
        membership=home,
        feedback="Bethany found the induction clear and would go again.",
    )
    mobilisation_stand_down(
        mobilisation=mobilisation,
        actor=host_admin.user,
        note="Admissions back to the winter plan; both wards open.",
    )
    # Back to last winter: the deployment ran its two weeks from the start, and the
    # mobilisation was stood down at its expected end.
    delta = _last_winter(today) - today
    _move(
        mobilisation,
        delta,
        "created_at",
        "starts_on",
        "expected_end_on",
        "activated_at",
        days_later={"stood_down_at": 27},
    )
    _move(staff_request, delta, "created_at", "starts_on", "ends_on", "filled_at")
    _move(offer, delta, "created_at", "staff_agreed_on", "decided_at")
    _move(
        deployment,
        delta,
        "created_at",
        "starts_on",
        "ends_on",
        "started_at",
        days_later={"returned_at": 13},
    )
    # The registration's expiry is the register's date, so it stays as recorded.
    checks = PreDeploymentChecks.objects.get(deployment=deployment)
    dates = [name for name in _home_checks() if name.endswith("_on")]
    _move(checks, delta, "created_at", "local_induction_on", *dates)
    created["mobilisations"] += 1
    created["staff requests"] += 1
    created["offers"] += 1
    created["deployments"] += 1


def _active_mobilisation(organisations: dict, hub_admin: User, groups: dict, created) -> None:
    """Leeds Community Healthcare's district nurses now: a request for nurses with an
    offer from Leeds Teaching Hospitals waiting, and one for support workers with the
    council's offer accepted and its checks half recorded."""
    lch, ltht, council = organisations[LCH], organisations[LTHT], organisations[COUNCIL]
    if Mobilisation.objects.filter(organisation=lch, service=ACTIVE_SERVICE).exists():
        return
    host = _membership(COUNCIL_ADMIN, lch)
    host_lead = _membership(LCH_LEAD, lch)
    today = timezone.localdate()
    mobilisation = mobilisation_raise(
        organisation=lch,
        actor=host.user,
        service=ACTIVE_SERVICE,
        reason=(
            "Norovirus in three care homes on top of winter pressure: visits are up a "
            "third and a fifth of the district nurses are off sick."
        ),
        urgency=Mobilisation.Urgency.HIGH,
        starts_on=today,
        expected_end_on=today + datetime.timedelta(days=41),
    )
    mobilisation = mobilisation_activate(mobilisation=mobilisation, actor=hub_admin)
    nurses = staff_request_create(
        mobilisation=mobilisation,
        actor=host.user,
        membership=host,
        role="Band 6 district nurse",
        staff_group=groups["nursing-and-midwifery"],
        registration_needed=RegistrationBody.NMC,
        number_needed=2,
        starts_on=today + datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=31),
        shift_pattern="Days, 8am to 4pm, Monday to Friday",
        site="Burmantofts Health Centre, east Leeds neighbourhood team",
        notes="A driving licence and a car for visits; mileage is paid.",
    )
    support = staff_request_create(
        mobilisation=mobilisation,
        actor=host.user,
        membership=host,
        role="Healthcare support worker, community",
        staff_group=groups["additional-clinical-services"],
        number_needed=3,
        starts_on=today + datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=26),
        shift_pattern="Early shifts, 4 a week",
        site="Seacroft Clinic, east Leeds neighbourhood team",
    )
    ltht_hr = _membership(LTHT_HR, ltht)
    staff_offer_create(
        staff_request=nurses,
        actor=ltht_hr.user,
        membership=ltht_hr,
        staff_name="Hannah Lister",
        staff_email="hannah.lister@example.org",
        job_title="Staff nurse, respiratory outreach",
        registration_body=RegistrationBody.NMC,
        registration_number="09C8765W",
        staff_agreed_on=today,
    )
    council_admin = _membership(COUNCIL_ADMIN, council)
    offer = staff_offer_create(
        staff_request=support,
        actor=council_admin.user,
        membership=council_admin,
        staff_name="Marcus Reid",
        staff_email="marcus.reid@example.org",
        job_title="Reablement support worker",
        staff_agreed_on=today,
    )
    deployment = staff_offer_accept(offer=offer, actor=host_lead.user, membership=host_lead)
    # Half the checks: the rest are the council's to record in the demo.
    half = {
        name: value
        for name, value in _home_checks().items()
        if name in ("identity_checked_on", "right_to_work_checked_on", "dbs_level", "dbs_issued_on")
    }
    checks_record(deployment=deployment, actor=council_admin.user, membership=council_admin, **half)
    created["mobilisations"] += 1
    created["staff requests"] += 2
    created["offers"] += 2
    created["deployments"] += 1


@transaction.atomic
def seed_demo() -> dict:
    created = {
        "signatories": 0,
        "people": 0,
        "check acceptances": 0,
        "mobilisations": 0,
        "staff requests": 0,
        "offers": 0,
        "deployments": 0,
    }
    names = [name for name, _, _ in SIGNATORIES]
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    hub_admin = User.objects.filter(email=HUB_ADMIN, is_staff=True).first()
    if len(organisations) < len(names) or hub_admin is None or current_version() is None:
        return created  # hub's demo has not run (or was changed): nothing to build on
    _sign(organisations, created)
    _accept_checks(organisations, created)
    groups = {g.slug: g for g in StaffGroup.objects.all()}
    _winter_mobilisation(organisations, hub_admin, groups, created)
    _active_mobilisation(organisations, hub_admin, groups, created)
    return created
