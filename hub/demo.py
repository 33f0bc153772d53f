"""The demo partnership: the real Leeds partners named in the partnership's documents,
plus a few fictional GP practices and care providers, and a demo person for every role.

Built through the services so the demo exercises the real rules. Idempotent.
"""

import base64
import hashlib

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from hub import services
from hub.models import Membership, Organisation, User

DEMO_PASSWORD = "Leeds-Workforce-Hub-2026"
Kind = Organisation.Kind
Role = Membership.Role

PARTNERS = [
    (
        "Leeds Teaching Hospitals NHS Trust",
        Kind.NHS_TRUST,
        "RR8",
        "LS1 3EX",
        "One of the largest teaching trusts in Europe, running seven hospitals in Leeds.",
    ),
    (
        "Leeds Community Healthcare NHS Trust",
        Kind.NHS_TRUST,
        "RY6",
        "LS6 1PF",
        "Community health services for adults and children across Leeds.",
    ),
    (
        "Leeds and York Partnership NHS Foundation Trust",
        Kind.NHS_TRUST,
        "RGD",
        "LS15 8ZB",
        "Mental health and learning disability services in Leeds and York.",
    ),
    (
        "Leeds City Council",
        Kind.LOCAL_AUTHORITY,
        "",
        "LS1 1UR",
        "Adult social care, public health and children's services for the city.",
    ),
    (
        "NHS West Yorkshire Integrated Care Board",
        Kind.ICB,
        "QWO",
        "WF1 1LT",
        "Plans and buys health services for West Yorkshire, including Leeds.",
    ),
    (
        "Leeds GP Confederation",
        Kind.GP_CONFEDERATION,
        "",
        "LS11 5BZ",
        "Brings together the city's GP practices and primary care networks.",
    ),
    (
        "Forum Central",
        Kind.VCSE,
        "",
        "LS9 8BN",
        "The voice of the third sector in health and care in Leeds.",
    ),
    (
        "Leeds Care Association",
        Kind.CARE_PROVIDER,
        "",
        "LS1 2HL",
        "Represents independent care homes and home care providers in Leeds.",
    ),
    (
        "University of Leeds",
        Kind.EDUCATION,
        "",
        "LS2 9JT",
        "Trains doctors, nurses, midwives and allied health professionals.",
    ),
    (
        "Leeds Beckett University",
        Kind.EDUCATION,
        "",
        "LS1 3HE",
        "Health, nursing and social work degrees and apprenticeships.",
    ),
    (
        "Leeds Trinity University",
        Kind.EDUCATION,
        "",
        "LS18 5HD",
        "Degrees and degree apprenticeships in health and social care.",
    ),
    (
        "Leeds City College",
        Kind.EDUCATION,
        "",
        "LS2 7QT",
        "Health and social care courses, T Levels and access programmes.",
    ),
    (
        "Armley Moor Medical Practice (demo)",
        Kind.PRIMARY_CARE,
        "",
        "LS12 3HD",
        "A fictional GP practice in Armley, for the demo.",
    ),
    (
        "Lincoln Green Surgery (demo)",
        Kind.PRIMARY_CARE,
        "",
        "LS9 7SX",
        "A fictional GP practice in Lincoln Green, for the demo.",
    ),
    (
        "Wortley Beck Care Home (demo)",
        Kind.CARE_PROVIDER,
        "",
        "LS12 4HQ",
        "A fictional residential care home, for the demo.",
    ),
    (
        "Aire Valley Home Care (demo)",
        Kind.CARE_PROVIDER,
        "",
        "LS13 2DT",
        "A fictional home care provider, for the demo.",
    ),
]

LTHT, LCH, COUNCIL, FORUM = (
    "Leeds Teaching Hospitals NHS Trust",
    "Leeds Community Healthcare NHS Trust",
    "Leeds City Council",
    "Forum Central",
)

# email, name, hub admin?, [(organisation, role)], what they show
PEOPLE = [
    ("hub.admin@example.org", "Hana Admin", True, [], "Hub admin (Django admin)"),
    (
        "admin.lth@example.org",
        "Olu Adeyemi",
        False,
        [(LTHT, Role.ADMIN)],
        "Organisation admin, Leeds Teaching Hospitals",
    ),
    (
        "hr.lth@example.org",
        "Sam Hughes",
        False,
        [(LTHT, Role.STAFF)],
        "HR staff, Leeds Teaching Hospitals",
    ),
    (
        "admin.council@example.org",
        "Priya Shah",
        False,
        [(COUNCIL, Role.ADMIN), (LCH, Role.STAFF)],
        "Admin at Leeds City Council and HR staff at Leeds Community Healthcare",
    ),
    (
        "outreach@example.org",
        "Jo Bennett",
        False,
        [(FORUM, Role.OUTREACH)],
        "Outreach worker, Forum Central",
    ),
    ("candidate@example.org", "Casey Morgan", False, [], "Candidate (no two-factor needed)"),
]


def demo_totp_secret(email: str) -> str:
    """A fixed secret per demo person, so the README and the run command can show it.
    Demo data only: real people's secrets come from allauth at random."""
    digest = hashlib.sha256(f"workforce-hub-demo:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


@transaction.atomic
def seed_demo() -> dict:
    created = {"organisations": 0, "people": 0}
    organisations = {}
    for name, kind, ods, postcode, description in PARTNERS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            organisation = services.organisation_create(
                name=name, kind=kind, ods_code=ods, postcode=postcode, description=description
            )
            created["organisations"] += 1
        organisations[name] = organisation

    for email, name, hub_admin, roles, _ in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            create = User.objects.create_superuser if hub_admin else User.objects.create_user
            user = create(email=email, password=DEMO_PASSWORD, name=name)
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
            created["people"] += 1
        for organisation_name, role in roles:
            services.membership_create(
                organisation=organisations[organisation_name], user=user, role=role
            )
        if (hub_admin or roles) and not user.authenticator_set.filter(
            type=Authenticator.Type.TOTP
        ).exists():
            TOTP.activate(user, demo_totp_secret(email))
            RecoveryCodes.activate(user)
    return created
