"""Demo secondments between the demo partners: two open opportunities (one at Leeds
Teaching Hospitals open to every partner, one at Leeds Community Healthcare open only to
the hospitals and the council), an active secondment of a community nurse to the
hospitals, and a proposed one of the hospitals' HR person to community services,
waiting for the hospitals' approval (the demo admin of Leeds Teaching Hospitals can give
it).

Built through the secondment services, from posting to activation, so the demo exercises
the real rules, audit rows and emails. The active secondment starts on the day the demo
is seeded (a secondment cannot start before its start date). Idempotent: nothing is added
when the first opportunity is already there. Run after hub.demo.seed_demo; anything
missing is skipped.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from hub import services as hub_services
from hub.demo import DEMO_PASSWORD
from hub.models import Membership, Organisation, User
from talent.models import Arrangement, SecondmentOpportunity, StaffGroup
from talent.services import secondments as services

LTHT = "Leeds Teaching Hospitals NHS Trust"
LCH = "Leeds Community Healthcare NHS Trust"
COUNCIL = "Leeds City Council"
LTHT_ADMIN = "admin.lth@example.org"  # Olu Adeyemi
LTHT_HR = "hr.lth@example.org"  # Sam Hughes
LCH_HR = "admin.council@example.org"  # Priya Shah: HR staff at LCH, named its approver
# A community nurse of LCH, seconded to the hospitals (fictional, example.org).
SECONDEE = ("aisha.rahman@example.org", "Aisha Rahman")

OPEN_TO_ALL = {
    "staff_group": "nursing-and-midwifery",
    "title": "Clinical nurse specialist, frailty virtual ward",
    "band": "7",
    "description": (
        "Help lead the frailty virtual ward: assessing older people at home after "
        "discharge, working with community teams and GPs, and teaching ward staff. You "
        "will learn how hospital and community care fit together."
    ),
    "duration_months": 12,
    "arrangement": Arrangement.SECONDMENT,
    "recharge": "100% of salary and on-costs",
    "backfill": "A fixed-term band 6 post funded from the recharge.",
}
CHOSEN_PARTNERS = {
    "staff_group": "admin-and-clerical",
    "title": "HR business partner, community services",
    "band": "7",
    "description": (
        "Support community service managers through a year of change: workforce "
        "planning, recruitment to hard-to-fill posts and staff wellbeing. Open to HR "
        "staff of the hospitals and the council."
    ),
    "duration_months": 9,
    "arrangement": Arrangement.LOAN,
    "recharge": "",
    "backfill": "",
}
STARTING_NOW = {
    "staff_group": "nursing-and-midwifery",
    "title": "Discharge coordinator, elderly medicine",
    "band": "6",
    "description": (
        "Coordinate discharges from the elderly medicine wards at St James's with "
        "community nursing, social care and families."
    ),
    "duration_months": 6,
    "arrangement": Arrangement.SECONDMENT,
    "recharge": "100% of salary and on-costs",
    "backfill": "Covered by the neighbourhood team's bank staff.",
}


def _membership(email: str, organisation: Organisation) -> Membership | None:
    return (
        Membership.objects.select_related("user", "organisation")
        .filter(user__email=email, organisation=organisation)
        .first()
    )


def _secondee(lch: Organisation) -> Membership:
    email, name = SECONDEE
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    hub_services.membership_create(organisation=lch, user=user, role=Membership.Role.STAFF)
    return _membership(email, lch)


def _opportunity(membership, fields, *, starts_on, closing_date, open_to=()):
    """Post and publish an opportunity as the member, who is its contact."""
    fields = dict(fields)
    opportunity = services.opportunity_create(
        host=membership.organisation,
        actor=membership.user,
        membership=membership,
        staff_group=StaffGroup.objects.get(slug=fields.pop("staff_group")),
        starts_on=starts_on,
        closing_date=closing_date,
        open_to_all=not open_to,
        eligible_organisations=list(open_to),
        contact=membership.user,
        **fields,
    )
    return services.opportunity_publish(
        opportunity=opportunity, actor=membership.user, membership=membership
    )


@transaction.atomic
def seed_demo() -> dict:
    created = {"secondment_opportunities": 0, "secondment_agreements": 0}
    organisations = {o.name: o for o in Organisation.objects.filter(name__in={LTHT, LCH, COUNCIL})}
    if len(organisations) < 3:
        return created
    ltht, lch, council = organisations[LTHT], organisations[LCH], organisations[COUNCIL]
    ltht_admin, ltht_hr = _membership(LTHT_ADMIN, ltht), _membership(LTHT_HR, ltht)
    lch_hr = _membership(LCH_HR, lch)
    if None in (ltht_admin, ltht_hr, lch_hr) or (
        SecondmentOpportunity.objects.filter(host=ltht, title=OPEN_TO_ALL["title"]).exists()
    ):
        return created
    today = timezone.localdate()

    # LCH has no admin in the demo: its HR person is named to release and approve.
    services.approver_add(organisation=lch, user=lch_hr.user, actor=None, membership=None)

    _opportunity(
        ltht_hr,
        OPEN_TO_ALL,
        starts_on=today + timedelta(days=70),
        closing_date=today + timedelta(days=21),
    )
    community = _opportunity(
        lch_hr,
        CHOSEN_PARTNERS,
        starts_on=today + timedelta(days=45),
        closing_date=today + timedelta(days=28),
        open_to=[ltht, council],
    )
    created["secondment_opportunities"] += 2

    # A community nurse goes to the hospitals, from today: every step, to active.
    secondee = _secondee(lch)
    discharge = _opportunity(ltht_hr, STARTING_NOW, starts_on=today, closing_date=today)
    interest = services.interest_express(
        opportunity=discharge,
        person=secondee.user,
        membership=secondee,
        statement="I coordinate discharges from the community side and want to see the "
        "hospital side of the same journeys.",
    )
    services.interest_release(interest=interest, actor=lch_hr.user, membership=lch_hr, release=True)
    agreement = services.interest_select(interest=interest, actor=ltht_hr.user, membership=ltht_hr)
    services.agreement_approve(
        agreement=agreement,
        actor=lch_hr.user,
        membership=lch_hr,
        right_to_return=True,
        return_terms="Her band 6 post in the Armley neighbourhood team",
    )
    services.agreement_approve(agreement=agreement, actor=ltht_admin.user, membership=ltht_admin)
    services.agreement_activate(agreement=agreement, actor=ltht_hr.user, membership=ltht_hr)
    services.opportunity_close(opportunity=discharge, actor=ltht_hr.user, membership=ltht_hr)

    # The hospitals' HR person is selected for community services: it waits for the
    # hospitals' approval.
    interest = services.interest_express(
        opportunity=community,
        person=ltht_hr.user,
        membership=ltht_hr,
        statement="I would like to learn how recruitment works in community services, and "
        "bring back what works.",
    )
    services.interest_release(
        interest=interest, actor=ltht_admin.user, membership=ltht_admin, release=True
    )
    services.interest_select(interest=interest, actor=lch_hr.user, membership=lch_hr)
    created["secondment_agreements"] += 2
    return created
