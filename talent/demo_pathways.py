"""Demo career pathways: porter to registered nurse, care worker to registered manager,
and into mental health support. Each step's `match_*` fields find the demo vacancies of
talent/demo.py, so the public pages show live jobs at most steps (and none at a step
nobody is recruiting for, as happens).

Pathways are written by hub admins in the Django admin, which has no rules beyond the
model's, so they are created directly. Idempotent: a pathway is matched on its slug.
"""

from django.db import transaction

from talent.models import CareerPathway, PathwayStep, StaffGroup

# slug, title, staff group slug, summary, steps; each step: role, typical band, where,
# entry requirements, training to the next step, typical time, and the match fields
# (staff group slug, bands, keywords).
PATHWAYS = [
    (
        "porter-to-registered-nurse",
        "Porter to registered nurse",
        "nursing-and-midwifery",
        "Start in a hospital with no experience and, earning as you learn, become a "
        "registered nurse: porters and domestic staff often move into caring roles once "
        "they have seen the wards, and the trusts pay for the apprenticeships.",
        [
            (
                "Porter",
                "2",
                "Hospitals: Leeds Teaching Hospitals",
                "No experience or qualifications needed. You need to be fit enough to "
                "walk long distances and push wheelchairs and beds.",
                "Ask to shadow a healthcare assistant, and apply for healthcare assistant "
                "posts marked 'no experience needed': the Care Certificate is taught on "
                "the job.",
                "6 months to 2 years",
                ("estates-and-facilities", [], "porter"),
            ),
            (
                "Healthcare assistant",
                "3",
                "Hospitals, community teams and GP practices",
                "Kindness and good spoken English. Experience of caring, paid or unpaid, "
                "helps. The Care Certificate in your first 12 weeks.",
                "After a year, apply for a nursing associate apprenticeship: a two-year "
                "foundation degree, four days at work and one at university. You need "
                "GCSE English and maths at grade 4, or Functional Skills level 2.",
                "1 to 3 years",
                (
                    "additional-clinical-services",
                    ["3"],
                    '"healthcare assistant" or "healthcare support worker"',
                ),
            ),
            (
                "Nursing associate",
                "4",
                "Hospitals and community teams",
                "The nursing associate foundation degree, and registration with the "
                "Nursing and Midwifery Council (NMC).",
                "A shortened nursing degree apprenticeship (about two years) builds on "
                "the nursing associate qualification.",
                "2 years",
                ("", [], '"nursing associate" -"healthcare assistant"'),
            ),
            (
                "Registered nurse",
                "5",
                "Hospitals, community teams, GP practices and mental health services",
                "A nursing degree or degree apprenticeship, and registration with the NMC.",
                "A year's preceptorship with protected learning time, then band 6 "
                "specialist and sister or charge nurse roles.",
                "2 years and more",
                ("nursing-and-midwifery", ["5"], "nurse"),
            ),
        ],
    ),
    (
        "care-worker-to-registered-manager",
        "Care worker to registered manager",
        "social-care",
        "Social care is where many people start: care homes, home care and the council's "
        "reablement service all train new starters. With diplomas taken at work you can "
        "lead a shift, then a team, then run a service registered with the Care Quality "
        "Commission.",
        [
            (
                "Care worker",
                "",
                "Care homes, home care providers and Leeds City Council",
                "A caring nature. No qualifications needed; many posts offer a trial "
                "shift first. Home care usually needs a driving licence.",
                "The Care Certificate, then the level 2 and level 3 Diplomas in Adult "
                "Care, and medicines training.",
                "1 to 2 years",
                ("social-care", [], '"care worker" or "care assistant" -senior'),
            ),
            (
                "Senior care worker",
                "",
                "Care homes and home care providers",
                "At least a year in care, the level 3 Diploma in Adult Care (or working "
                "towards it) and medicines training.",
                "The level 4 Diploma in Adult Care, and experience of supervising staff "
                "and writing care plans.",
                "2 to 3 years",
                ("social-care", [], "senior care"),
            ),
            (
                "Deputy manager",
                "",
                "Care homes and home care providers",
                "The level 4 Diploma in Adult Care and experience of leading a team.",
                "The level 5 Diploma in Leadership and Management for Adult Care.",
                "2 years",
                ("social-care", [], "deputy manager"),
            ),
            (
                "Registered manager",
                "",
                "Care homes and home care providers",
                "The level 5 Diploma in Leadership and Management for Adult Care, and "
                "registration with the Care Quality Commission.",
                "",
                "",
                ("social-care", [], "registered manager"),
            ),
        ],
    ),
    (
        "into-mental-health-support",
        "Into mental health support",
        "additional-clinical-services",
        "Lived experience of mental health, your own or someone close to you, is "
        "valued. Start by volunteering or as a support worker, and train as a "
        "registered mental health nurse while you work.",
        [
            (
                "Volunteer",
                "",
                "Voluntary and community organisations",
                "Time to give, a few hours a week. Training and expenses are provided.",
                "Volunteering gives you the experience support worker posts ask for.",
                "3 to 12 months",
                ("", [], "volunteer"),
            ),
            (
                "Mental health support worker",
                "3",
                "Leeds and York Partnership NHS Foundation Trust and voluntary services",
                "A good listener, calm under pressure. No qualifications needed.",
                "A nursing degree apprenticeship in mental health nursing, with the "
                "trust paying the fees.",
                "1 to 3 years",
                ("additional-clinical-services", [], "mental health support"),
            ),
            (
                "Registered mental health nurse",
                "5",
                "Inpatient wards and community mental health teams",
                "A mental health nursing degree or degree apprenticeship, and "
                "registration with the NMC.",
                "A year's preceptorship, then band 6 roles in community or crisis teams.",
                "2 years and more",
                ("nursing-and-midwifery", ["5"], "mental health nurse"),
            ),
        ],
    ),
]


@transaction.atomic
def seed_demo() -> dict:
    created = {"career_pathways": 0}
    groups = {group.slug: group for group in StaffGroup.objects.all()}
    for position, (slug, title, group, summary, steps) in enumerate(PATHWAYS, start=1):
        if CareerPathway.objects.filter(slug=slug).exists():
            continue
        pathway = CareerPathway.objects.create(
            slug=slug,
            title=title,
            summary=summary,
            staff_group=groups.get(group),
            position=position,
        )
        PathwayStep.objects.bulk_create(
            PathwayStep(
                pathway=pathway,
                position=number,
                role_title=role,
                typical_band=band,
                where=where,
                entry_requirements=entry,
                training_to_next=training,
                typical_time=typical_time,
                match_staff_group=groups.get(match_group),
                match_bands=match_bands,
                match_keywords=match_keywords,
            )
            for number, (
                role,
                band,
                where,
                entry,
                training,
                typical_time,
                (match_group, match_bands, match_keywords),
            ) in enumerate(steps, start=1)
        )
        created["career_pathways"] += 1
    return created
