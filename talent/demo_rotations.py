"""Demo rotation scheme: the preceptorship rotation of Leeds Teaching Hospitals for
newly qualified nurses, with placements at the hospital, in a community neighbourhood
team and in a GP practice, and participants at different points of it (not started yet,
on their first and a later placement, completed, left), dated relative to today.

Built through the rotation services, so the demo exercises the real rules. Idempotent:
the scheme is matched on its lead and name, and kept if it is already there.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hub.models import Organisation, User
from talent.models import RotationParticipant, RotationScheme, StaffGroup
from talent.services import rotations as services

LTHT = "Leeds Teaching Hospitals NHS Trust"
LCH = "Leeds Community Healthcare NHS Trust"
ARMLEY_GP = "Armley Moor Medical Practice (demo)"
LEAD_PERSON = "hr.lth@example.org"  # Sam Hughes, HR staff of the trust (hub/demo.py)

SCHEME_NAME = "Newly qualified nurse preceptorship rotation"
SCHEME_DESCRIPTION = (
    "A year of rotation for nurses in their first year after registration: acute "
    "medicine, a community neighbourhood team, general practice and elderly medicine, "
    "with a preceptor at every placement and protected learning time each month."
)
# organisation, service, weeks: 52 weeks in all.
PLACEMENTS = [
    (LTHT, "Acute medical unit, Leeds General Infirmary", 16),
    (LCH, "Neighbourhood team, Armley", 16),
    (ARMLEY_GP, "Practice nursing", 8),
    (LTHT, "Elderly medicine, St James's University Hospital", 12),
]
Status = RotationParticipant.Status
# name, employer, started (weeks from today, negative in the past), first position,
# status, left (weeks from today) when they left.
PARTICIPANTS = [
    ("Amira Hussain", LTHT, -20, 1, Status.ON_SCHEME, None),
    ("Tom Fletcher", LTHT, -20, 2, Status.ON_SCHEME, None),
    ("Bethany Walsh", LCH, -3, 4, Status.ON_SCHEME, None),
    ("Grace Okafor", LTHT, 3, 1, Status.ON_SCHEME, None),
    ("Daniel Price", LTHT, -56, 1, Status.COMPLETED, None),
    ("Leah Clarke", LTHT, -10, 3, Status.LEFT, -2),
]


@transaction.atomic
def seed_demo() -> dict:
    created = {"rotation_schemes": 0, "rotation_participants": 0}
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in={LTHT, LCH, ARMLEY_GP})
    }
    actor = User.objects.filter(email=LEAD_PERSON).first()
    lead = organisations.get(LTHT)
    if (
        actor is None
        or len(organisations) < 3
        or RotationScheme.objects.filter(lead=lead, name=SCHEME_NAME).exists()
    ):
        return created
    today = timezone.localdate()
    scheme = services.rotation_scheme_create(
        organisation=lead,
        actor=actor,
        name=SCHEME_NAME,
        description=SCHEME_DESCRIPTION,
        staff_group=StaffGroup.objects.filter(slug="nursing-and-midwifery").first(),
    )
    services.rotation_placements_save(
        scheme=scheme,
        plans=[
            services.PlacementPlan(organisation=organisations[name], service=service, weeks=weeks)
            for name, service, weeks in PLACEMENTS
        ],
        actor=actor,
    )
    created["rotation_schemes"] += 1
    for name, employer, started, first, status, left in PARTICIPANTS:
        services.rotation_participant_add(
            scheme=scheme,
            actor=actor,
            name=name,
            email=f"{name.lower().replace(' ', '.')}@nhs.example",
            employer=organisations[employer],
            starts_on=today + timedelta(weeks=started),
            first_position=first,
            status=status,
            left_on=today + timedelta(weeks=left) if left is not None else None,
        )
        created["rotation_participants"] += 1
    return created
