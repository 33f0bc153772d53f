"""Demo vacancies across the demo partnership: about thirty jobs of the kinds Leeds' health
and care partners recruit for, from porters and care workers to band 5 nurses, with
apprenticeships, bank work, a volunteering role and a work-experience day, closing dates
relative to today, a couple of drafts and one closed vacancy.

Built through the vacancy services, so the demo exercises the real rules. Idempotent: a
vacancy is matched on its organisation and reference, and kept if it is already there.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from hub.models import Membership, Organisation, User
from talent import demo_mobility, demo_pipeline
from talent.models import StaffGroup, Vacancy
from talent.services import vacancies as services

LTHT = "Leeds Teaching Hospitals NHS Trust"
LCH = "Leeds Community Healthcare NHS Trust"
LYPFT = "Leeds and York Partnership NHS Foundation Trust"
COUNCIL = "Leeds City Council"
CONFED = "Leeds GP Confederation"
FORUM = "Forum Central"
ARMLEY_GP = "Armley Moor Medical Practice (demo)"
LINCOLN_GREEN_GP = "Lincoln Green Surgery (demo)"
CARE_HOME = "Wortley Beck Care Home (demo)"
HOME_CARE = "Aire Valley Home Care (demo)"

# The demo HR person of each organisation (see hub/demo.py): actor and contact.
HR_PEOPLE = {
    LTHT: "hr.lth@example.org",
    LCH: "admin.council@example.org",
    COUNCIL: "admin.council@example.org",
}

CT = Vacancy.ContractType
WP = Vacancy.WorkingPattern
HOUR = Vacancy.SalaryPeriod.HOUR

# Agenda for Change pay, 2025/26 (England), a year.
AFC = {
    "2": (Decimal("24465"), Decimal("24465")),
    "3": (Decimal("24937"), Decimal("26598")),
    "4": (Decimal("27485"), Decimal("30162")),
    "5": (Decimal("29970"), Decimal("36483")),
    "6": (Decimal("37338"), Decimal("44962")),
    "7": (Decimal("46148"), Decimal("52809")),
}

CARE_QUESTIONS = [
    "Tell us about a time you helped someone who needed care or support.",
    "Which shifts can you work? Include any days or times you cannot.",
]
HCA_QUESTIONS = [
    "Why do you want to work as a healthcare assistant?",
    "Do you hold the Care Certificate? If not, are you happy to complete it with us?",
]


def _afc(band: str) -> dict:
    low, high = AFC[band]
    return {"band": band, "salary_min": low, "salary_max": high}


def _hourly(rate: str, scale: str | None = None) -> dict:
    return {
        "band": "",
        "pay_scale": scale or "Hourly rate, paid weekly",
        "salary_min": Decimal(rate),
        "salary_max": Decimal(rate),
        "salary_period": HOUR,
    }


# Each: organisation, reference, staff group slug, closes in (days), then vacancy fields;
# "state" is "published" unless "draft" or "closed".
VACANCIES = [
    # --- Leeds Teaching Hospitals -------------------------------------------------------
    {
        "org": LTHT,
        "reference": "LTH-HCA-0412",
        "group": "additional-clinical-services",
        "closes_in": 5,
        "title": "Healthcare assistant, elderly medicine",
        **_afc("3"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.PART_TIME, WP.NIGHTS, WP.WEEKENDS],
        "hours_per_week": Decimal("37.5"),
        "site": "St James's University Hospital",
        "postcode": "LS9 7TF",
        "entry_level": True,
        "disability_confident": True,
        "summary": "Help older people on our elderly medicine wards with personal care, "
        "meals and getting about. Full training given; no experience needed.",
        "description": "You will join a friendly ward team caring for older people, many "
        "living with frailty or dementia. You will help patients wash, dress and eat, "
        "take observations such as blood pressure and temperature, and keep accurate "
        "records.\n\nWe give every new healthcare assistant two weeks of paid training "
        "and support to complete the Care Certificate. Many of our HCAs go on to our "
        "nursing associate and nursing degree apprenticeships.",
        "essential_criteria": "Kindness and patience\nGood spoken English\nWilling to "
        "work shifts, including some nights and weekends",
        "desirable_criteria": "Experience of caring, paid or unpaid\nThe Care Certificate",
        "questions": HCA_QUESTIONS,
    },
    {
        "org": LTHT,
        "reference": "LTH-RN-0388",
        "group": "nursing-and-midwifery",
        "closes_in": 21,
        "title": "Registered nurse, acute medical unit",
        **_afc("5"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.PART_TIME, WP.NIGHTS, WP.FLEXIBLE],
        "hours_per_week": Decimal("37.5"),
        "site": "Leeds General Infirmary",
        "postcode": "LS1 3EX",
        "disability_confident": True,
        "visa_sponsorship": True,
        "summary": "Band 5 staff nurse on a busy acute medical unit, with a preceptorship "
        "programme for newly qualified nurses.",
        "description": "Our acute medical unit assesses and treats adults arriving from "
        "the emergency department and GPs. You will plan and give care to a group of "
        "patients, work closely with doctors and therapists, and support student "
        "nurses.\n\nNewly qualified nurses join a 12-month preceptorship with protected "
        "learning time. We offer flexible rostering and self-rostering.",
        "essential_criteria": "Registered nurse (adult) with the NMC, or due to qualify "
        "within 6 months\nAble to prioritise care for several patients",
        "desirable_criteria": "Experience in acute or emergency care",
        "questions": ["What is your NMC PIN, or when do you expect to register?"],
    },
    {
        "org": LTHT,
        "reference": "LTH-RN-0391",
        "group": "nursing-and-midwifery",
        "closes_in": 14,
        "title": "Registered nurse, children's surgical ward",
        **_afc("5"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.NIGHTS, WP.WEEKENDS],
        "hours_per_week": Decimal("37.5"),
        "site": "Leeds Children's Hospital, Leeds General Infirmary",
        "postcode": "LS1 3EX",
        "disability_confident": True,
        "summary": "Care for children and young people before and after surgery in one "
        "of the country's largest children's hospitals.",
        "description": "You will look after children from a few weeks old to 16 having "
        "planned and emergency surgery, supporting their families and working with play "
        "specialists and surgeons.",
        "essential_criteria": "Registered nurse (child) with the NMC",
        "desirable_criteria": "Paediatric life support",
    },
    {
        "org": LTHT,
        "reference": "LTH-POR-0120",
        "group": "estates-and-facilities",
        "closes_in": 6,
        "title": "Porter",
        **_afc("2"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.NIGHTS, WP.WEEKENDS],
        "hours_per_week": Decimal("37.5"),
        "site": "St James's University Hospital",
        "postcode": "LS9 7TF",
        "entry_level": True,
        "trial_shift_available": True,
        "summary": "Move patients, equipment and samples safely around the hospital. "
        "No experience needed; you will be fully trained.",
        "description": "Porters keep the hospital moving: taking patients to scans and "
        "theatres, delivering medical gases and collecting samples. You will be on your "
        "feet most of the day and meet lots of people.\n\nYou can come for a trial shift "
        "with our team before you decide.",
        "essential_criteria": "Fit enough to walk long distances and push wheelchairs "
        "and beds\nFriendly and reliable",
        "questions": ["Which shifts could you work: days, nights or weekends?"],
    },
    {
        "org": LTHT,
        "reference": "LTH-DOM-0077",
        "group": "estates-and-facilities",
        "closes_in": 18,
        "title": "Domestic assistant",
        **_afc("2"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.PART_TIME, WP.WEEKENDS],
        "hours_per_week": Decimal("22.5"),
        "site": "Chapel Allerton Hospital",
        "postcode": "LS7 4SA",
        "entry_level": True,
        "summary": "Keep wards and clinics clean and safe for patients. Part-time, early "
        "mornings, with training in infection control.",
        "description": "You will clean wards, clinics and patient areas to the national "
        "standards of cleanliness, and help stop infections spreading. Shifts run from "
        "7am to 11.30am, five days out of seven.",
        "essential_criteria": "Reliable and careful\nHappy to work some weekends",
    },
    {
        "org": LTHT,
        "reference": "LTH-PHYS-0055",
        "group": "allied-health-professionals",
        "closes_in": 25,
        "title": "Physiotherapist, rotational",
        **_afc("5"),
        "contract_type": CT.ROTATION,
        "working_patterns": [WP.FULL_TIME, WP.WEEKENDS],
        "hours_per_week": Decimal("37.5"),
        "site": "Leeds General Infirmary and St James's University Hospital",
        "postcode": "LS1 3EX",
        "disability_confident": True,
        "summary": "Rotate through respiratory, orthopaedics, neurology and elderly care "
        "in a two-year programme for new physiotherapists.",
        "description": "Four six-month rotations give you a broad start to your career, "
        "with weekly in-service training and a named supervisor. You will take part in "
        "the weekend and on-call respiratory rota after training.",
        "essential_criteria": "Degree in physiotherapy\nRegistered, or eligible to "
        "register, with the HCPC",
    },
    {
        "org": LTHT,
        "reference": "LTH-PHT-0031",
        "group": "additional-professional-scientific-and-technical",
        "closes_in": 12,
        "title": "Pharmacy technician, ward services",
        **_afc("5"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.WEEKENDS],
        "hours_per_week": Decimal("37.5"),
        "site": "St James's University Hospital",
        "postcode": "LS9 7TF",
        "summary": "Check patients' own medicines, supply medicines to wards and help "
        "patients go home on time.",
        "description": "You will work on the wards as part of the pharmacy team: taking "
        "medication histories, reconciling medicines and counselling patients about "
        "their tablets before they go home.",
        "essential_criteria": "Registered pharmacy technician with the GPhC",
        "desirable_criteria": "Accredited checking technician",
    },
    {
        "org": LTHT,
        "reference": "LTH-BANK-HCA",
        "group": "additional-clinical-services",
        "closes_in": 30,
        "title": "Bank healthcare assistant",
        **_afc("3"),
        "contract_type": CT.BANK,
        "working_patterns": [WP.FLEXIBLE, WP.NIGHTS, WP.WEEKENDS],
        "site": "Hospitals across Leeds",
        "postcode": "LS9 7TF",
        "entry_level": True,
        "summary": "Pick the shifts that suit you, across our hospitals. Weekly pay and "
        "full training.",
        "description": "Join our staff bank and book shifts through our app when it suits "
        "you: ideal for students, carers and people wanting extra hours. You will work "
        "on wards across the trust after a week's induction.",
        "essential_criteria": "Kindness and patience\nAble to work at least two shifts a month",
        "questions": HCA_QUESTIONS,
    },
    {
        "org": LTHT,
        "reference": "LTH-WEX-0001",
        "group": "students-and-apprentices",
        "closes_in": 4,
        "title": "Work-experience day: careers in hospitals",
        "band": "",
        "pay_scale": "Unpaid (lunch and travel paid)",
        "salary_min": None,
        "salary_max": None,
        "contract_type": CT.WORK_EXPERIENCE,
        "working_patterns": [WP.PART_TIME],
        "hours_per_week": Decimal("6"),
        "site": "Leeds General Infirmary education centre",
        "postcode": "LS1 3EX",
        "entry_level": True,
        "summary": "A day in the hospital for people aged 16 and over thinking about a "
        "career in health: meet nurses, porters, therapists and scientists.",
        "description": "Spend a day with us: a tour of the hospital, hands-on sessions "
        "with our clinical skills team, and time to talk to staff about how they started "
        "their careers. We cover lunch and your bus fare.",
        "essential_criteria": "Aged 16 or over\nLiving or studying in Leeds",
    },
    {
        "org": LTHT,
        "reference": "LTH-HCA-0415",
        "group": "additional-clinical-services",
        "closes_in": 28,
        "title": "Healthcare assistant, emergency department",
        **_afc("3"),
        "contract_type": CT.FIXED_TERM,
        "working_patterns": [WP.FULL_TIME, WP.NIGHTS],
        "hours_per_week": Decimal("37.5"),
        "site": "St James's University Hospital",
        "postcode": "LS9 7TF",
        "summary": "A 12-month post supporting nurses in a busy emergency department.",
        "description": "Draft: the ward manager is still confirming the rota.",
        "state": "draft",
    },
    # --- Leeds Community Healthcare -----------------------------------------------------
    {
        "org": LCH,
        "reference": "LCH-DN-0210",
        "group": "nursing-and-midwifery",
        "closes_in": 20,
        "title": "Community staff nurse, neighbourhood team",
        **_afc("5"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.PART_TIME, WP.WEEKENDS],
        "hours_per_week": Decimal("37.5"),
        "site": "Wetherby Health Centre",
        "postcode": "LS22 6PR",
        "disability_confident": True,
        "summary": "Visit patients at home across Wetherby and Boston Spa, caring for "
        "wounds, long-term conditions and people at the end of life.",
        "description": "Our neighbourhood teams bring nursing care to people's homes. You "
        "will manage your own caseload with support, and work alongside GPs, therapists "
        "and social workers. A car driver's licence is needed, and we pay mileage.",
        "essential_criteria": "Registered nurse (adult) with the NMC\nFull driving licence "
        "and access to a car",
    },
    {
        "org": LCH,
        "reference": "LCH-HCSW-0105",
        "group": "additional-clinical-services",
        "closes_in": 3,
        "title": "Healthcare support worker, community",
        **_afc("3"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.PART_TIME, WP.FLEXIBLE],
        "hours_per_week": Decimal("30"),
        "site": "Pudsey Health Centre",
        "postcode": "LS28 7BL",
        "entry_level": True,
        "summary": "Help people stay well at home in Pudsey and Farsley: checks, simple "
        "dressings and support to manage their health.",
        "description": "You will visit patients at home, take observations, help with "
        "simple wound care and support people to look after their own health. Full "
        "training is given.",
        "essential_criteria": "Good communication skills\nFull driving licence",
    },
    {
        "org": LCH,
        "reference": "LCH-SLT-0019",
        "group": "allied-health-professionals",
        "closes_in": 16,
        "title": "Speech and language therapist, children's services",
        **_afc("6"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.PART_TIME, WP.TERM_TIME],
        "hours_per_week": Decimal("30"),
        "site": "Reginald Centre, Chapeltown",
        "postcode": "LS7 3EX",
        "summary": "Support children's speech, language and communication in nurseries "
        "and schools in north-east Leeds.",
        "description": "Work with children, families and teachers in schools and clinics. "
        "Term-time working is available.",
        "essential_criteria": "Registered with the HCPC as a speech and language therapist",
    },
    {
        "org": LCH,
        "reference": "LCH-APP-0007",
        "group": "students-and-apprentices",
        "closes_in": 10,
        "title": "Nursing associate apprentice",
        "band": "3",
        "salary_min": Decimal("24937"),
        "salary_max": Decimal("26598"),
        "contract_type": CT.APPRENTICESHIP,
        "working_patterns": [WP.FULL_TIME],
        "hours_per_week": Decimal("37.5"),
        "site": "Community teams across Leeds",
        "postcode": "LS6 1PF",
        "apprenticeship": True,
        "summary": "Earn while you learn: a two-year foundation degree apprenticeship "
        "with Leeds Beckett University to become a registered nursing associate.",
        "description": "You will spend four days a week with a community team and one "
        "day at university. When you qualify you will register with the NMC and move to "
        "band 4.",
        "essential_criteria": "GCSE English and maths at grade 4 (C) or above, or "
        "Functional Skills level 2\nExperience of caring, paid or unpaid",
    },
    # --- Leeds and York Partnership -----------------------------------------------------
    {
        "org": LYPFT,
        "reference": "LYP-MHN-0301",
        "group": "nursing-and-midwifery",
        "closes_in": 22,
        "title": "Mental health nurse, adult inpatient ward",
        **_afc("5"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.NIGHTS, WP.WEEKENDS],
        "hours_per_week": Decimal("37.5"),
        "site": "Becklin Centre",
        "postcode": "LS9 7JR",
        "visa_sponsorship": True,
        "summary": "Support adults through a mental health crisis on an acute inpatient "
        "ward, with a structured preceptorship.",
        "description": "You will plan recovery-focused care with service users and their "
        "families, as part of a team of nurses, support workers, psychologists and "
        "occupational therapists.",
        "essential_criteria": "Registered mental health nurse with the NMC",
    },
    {
        "org": LYPFT,
        "reference": "LYP-SW-0140",
        "group": "additional-clinical-services",
        "closes_in": 9,
        "title": "Mental health support worker",
        **_afc("3"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.PART_TIME, WP.NIGHTS],
        "hours_per_week": Decimal("37.5"),
        "site": "St Mary's Hospital, Armley",
        "postcode": "LS12 3QE",
        "entry_level": True,
        "summary": "Spend time with people recovering from mental illness: activities, "
        "everyday living and a listening ear.",
        "description": "Lived experience of mental health, your own or a loved one's, is "
        "welcome. Training in de-escalation and recovery-focused care is given.",
        "essential_criteria": "Good listener\nCalm under pressure",
    },
    # --- Leeds City Council -------------------------------------------------------------
    {
        "org": COUNCIL,
        "reference": "LCC-SC-2231",
        "group": "social-care",
        "closes_in": 7,
        "title": "Care worker, reablement service",
        **_hourly("12.60", "Council grade B (£12.60 an hour)"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.PART_TIME, WP.WEEKENDS],
        "hours_per_week": Decimal("30"),
        "site": "Community reablement, east Leeds",
        "postcode": "LS14 6UH",
        "entry_level": True,
        "trial_shift_available": True,
        "disability_confident": True,
        "summary": "Help people regain independence at home after a hospital stay. Paid "
        "training, mileage and a trial shift before you decide.",
        "description": "Our reablement workers visit people at home for up to six weeks, "
        "helping them relearn everyday tasks like washing, dressing and cooking. You "
        "will be part of a supportive team with a named supervisor.",
        "essential_criteria": "A caring nature\nFull driving licence and access to a car",
        "questions": CARE_QUESTIONS,
    },
    {
        "org": COUNCIL,
        "reference": "LCC-SC-2240",
        "group": "social-care",
        "closes_in": 15,
        "title": "Residential care worker, older people's care home",
        **_hourly("12.85", "Council grade B (£12.85 an hour)"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.NIGHTS, WP.WEEKENDS],
        "hours_per_week": Decimal("37"),
        "site": "Siegen Manor, Morley",
        "postcode": "LS27 9HB",
        "entry_level": True,
        "trial_shift_available": True,
        "summary": "Care for older people in a council care home in Morley, days or nights.",
        "description": "You will help residents with personal care, meals and activities, "
        "and get to know them and their families well.",
        "essential_criteria": "A caring nature\nWilling to work weekends",
        "questions": CARE_QUESTIONS,
    },
    {
        "org": COUNCIL,
        "reference": "LCC-SW-0912",
        "group": "social-care",
        "closes_in": 26,
        "title": "Social worker, adult social care",
        "band": "",
        "pay_scale": "Council grade C2",
        "salary_min": Decimal("37035"),
        "salary_max": Decimal("40476"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.FLEXIBLE, WP.COMPRESSED],
        "hours_per_week": Decimal("37"),
        "site": "Merrion House",
        "postcode": "LS2 8BB",
        "summary": "Assess and support adults with care needs in a strengths-based "
        "team. Hybrid working and a compressed-hours option.",
        "description": "You will carry out Care Act assessments, plan support with "
        "people and families, and work with health partners across the city.",
        "essential_criteria": "Registered with Social Work England",
    },
    {
        "org": COUNCIL,
        "reference": "LCC-APP-0050",
        "group": "students-and-apprentices",
        "closes_in": 11,
        "title": "Adult care worker apprentice",
        **_hourly("11.44", "Apprentice rate (£11.44 an hour)"),
        "contract_type": CT.APPRENTICESHIP,
        "working_patterns": [WP.FULL_TIME],
        "hours_per_week": Decimal("37"),
        "site": "Home care, south Leeds",
        "postcode": "LS10 1AB",
        "entry_level": True,
        "apprenticeship": True,
        "trial_shift_available": True,
        "summary": "Start a career in care with a level 2 apprenticeship and a job at the "
        "end of it.",
        "description": "Train with Leeds City College one day a fortnight while working "
        "alongside experienced care workers in people's homes.",
        "essential_criteria": "Aged 16 or over\nNot in full-time education",
    },
    {
        "org": COUNCIL,
        "reference": "LCC-OT-0033",
        "group": "allied-health-professionals",
        "closes_in": 2,
        "title": "Occupational therapist, adaptations team",
        "band": "",
        "pay_scale": "Council grade C1",
        "salary_min": Decimal("33366"),
        "salary_max": Decimal("36124"),
        "contract_type": CT.FIXED_TERM,
        "working_patterns": [WP.FULL_TIME, WP.PART_TIME],
        "hours_per_week": Decimal("37"),
        "site": "Merrion House",
        "postcode": "LS2 8BB",
        "summary": "A 12-month post assessing people's homes for adaptations so they can "
        "live safely and independently.",
        "description": "Assess for equipment and adaptations such as stairlifts and level "
        "access showers, working closely with housing colleagues.",
        "essential_criteria": "Registered with the HCPC as an occupational therapist",
        "state": "closed",
    },
    # --- Primary care ------------------------------------------------------------------
    {
        "org": ARMLEY_GP,
        "reference": "AMMP-REC-01",
        "group": "admin-and-clerical",
        "closes_in": 8,
        "title": "GP practice receptionist",
        **_hourly("12.50"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.PART_TIME],
        "hours_per_week": Decimal("24"),
        "site": "Armley Moor Medical Practice",
        "postcode": "LS12 3HD",
        "entry_level": True,
        "summary": "Be the friendly first contact for our patients in Armley, on the "
        "phone and at the front desk.",
        "description": "You will book appointments, handle prescription requests and "
        "help patients find the right service. Full training on our clinical system is "
        "given.",
        "essential_criteria": "Good with people and computers\nCalm and polite on the phone",
        "questions": ["Which mornings or afternoons are you free to work?"],
    },
    {
        "org": LINCOLN_GREEN_GP,
        "reference": "LGS-REC-02",
        "group": "admin-and-clerical",
        "closes_in": 13,
        "title": "Receptionist and care navigator",
        **_hourly("12.40"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.PART_TIME, WP.FLEXIBLE],
        "hours_per_week": Decimal("20"),
        "site": "Lincoln Green Surgery",
        "postcode": "LS9 7SX",
        "entry_level": True,
        "summary": "Help patients in Lincoln Green get the care they need. Languages "
        "spoken in the community are a plus.",
        "description": "You will greet patients, book appointments and sign-post to the "
        "pharmacist, physiotherapist or social prescriber when that is the right help.",
        "essential_criteria": "Friendly and organised",
        "desirable_criteria": "Speaks a community language such as Urdu, Bengali, "
        "Romanian or Polish",
    },
    {
        "org": LINCOLN_GREEN_GP,
        "reference": "LGS-APP-03",
        "group": "students-and-apprentices",
        "closes_in": 19,
        "title": "Business administration apprentice",
        **_hourly("7.55", "Apprentice rate (£7.55 an hour)"),
        "contract_type": CT.APPRENTICESHIP,
        "working_patterns": [WP.FULL_TIME],
        "hours_per_week": Decimal("37.5"),
        "site": "Lincoln Green Surgery",
        "postcode": "LS9 7SX",
        "entry_level": True,
        "apprenticeship": True,
        "summary": "Learn how a GP practice runs while you study for a level 3 business "
        "administration apprenticeship.",
        "description": "Work across reception, prescriptions and the practice office, "
        "with college one day a week.",
        "essential_criteria": "Aged 16 or over",
    },
    {
        "org": CONFED,
        "reference": "CONF-PHT-07",
        "group": "additional-professional-scientific-and-technical",
        "closes_in": 24,
        "title": "Primary care pharmacy technician",
        **_afc("5"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.PART_TIME],
        "hours_per_week": Decimal("37.5"),
        "site": "Primary care networks in south Leeds",
        "postcode": "LS11 5BZ",
        "summary": "Support safe prescribing across GP practices in Beeston and Holbeck.",
        "description": "Help practices manage repeat prescriptions, medicines reviews and "
        "hospital discharge letters, as part of a primary care network team.",
        "essential_criteria": "Registered pharmacy technician with the GPhC",
    },
    {
        "org": CONFED,
        "reference": "CONF-HCA-08",
        "group": "additional-clinical-services",
        "closes_in": 17,
        "title": "Healthcare assistant, GP practices",
        **_afc("3"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.PART_TIME],
        "hours_per_week": Decimal("22.5"),
        "site": "Practices in Seacroft and Crossgates",
        "postcode": "LS14 6JB",
        "summary": "Blood tests, health checks and blood pressure clinics in GP "
        "practices in east Leeds.",
        "description": "Draft: waiting for the network to confirm which practices.",
        "state": "draft",
    },
    # --- Care providers ----------------------------------------------------------------
    {
        "org": CARE_HOME,
        "reference": "WBCH-CW-11",
        "group": "social-care",
        "closes_in": 4,
        "title": "Care assistant, nights",
        **_hourly("12.60"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.NIGHTS, WP.PART_TIME],
        "hours_per_week": Decimal("33"),
        "site": "Wortley Beck Care Home",
        "postcode": "LS12 4HQ",
        "entry_level": True,
        "trial_shift_available": True,
        "summary": "Night care for older residents in a family-run home in Wortley. "
        "Try a shift with us first.",
        "description": "You will settle residents for the night, check on them through "
        "the night and help them get up in the morning. Paid induction and the Care "
        "Certificate.",
        "essential_criteria": "A caring nature",
        "questions": CARE_QUESTIONS,
    },
    {
        "org": CARE_HOME,
        "reference": "WBCH-SEN-12",
        "group": "social-care",
        "closes_in": 27,
        "title": "Senior care assistant",
        **_hourly("13.40"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.FULL_TIME, WP.WEEKENDS],
        "hours_per_week": Decimal("36"),
        "site": "Wortley Beck Care Home",
        "postcode": "LS12 4HQ",
        "trial_shift_available": True,
        "summary": "Lead a shift of care assistants and give residents their medicines.",
        "description": "You will lead the day shift, give medicines and keep care plans up "
        "to date, with support to take your level 3 diploma.",
        "essential_criteria": "At least a year's experience in care\nMedicines training",
    },
    {
        "org": HOME_CARE,
        "reference": "AVHC-CW-21",
        "group": "social-care",
        "closes_in": 12,
        "title": "Home care worker",
        **_hourly("12.75"),
        "contract_type": CT.PERMANENT,
        "working_patterns": [WP.PART_TIME, WP.FLEXIBLE, WP.WEEKENDS],
        "hours_per_week": Decimal("25"),
        "site": "Bramley, Rodley and Horsforth",
        "postcode": "LS13 2DT",
        "entry_level": True,
        "trial_shift_available": True,
        "summary": "Visit people in their homes in west Leeds. Choose your hours; mileage paid.",
        "description": "Help people with personal care, meals and medicines so they can "
        "stay in their own homes. Paid training and shadow shifts before you work alone.",
        "essential_criteria": "A caring nature\nDriving licence and a car",
        "questions": CARE_QUESTIONS,
    },
    {
        "org": HOME_CARE,
        "reference": "AVHC-BANK-22",
        "group": "social-care",
        "closes_in": 30,
        "title": "Bank home care worker, Otley and Guiseley",
        **_hourly("13.00"),
        "contract_type": CT.BANK,
        "working_patterns": [WP.FLEXIBLE, WP.WEEKENDS],
        "site": "Otley, Guiseley and Yeadon",
        "postcode": "LS21 1BZ",
        "entry_level": True,
        "trial_shift_available": True,
        "summary": "Extra shifts when it suits you, visiting people at home in the "
        "Wharfedale area.",
        "description": "Cover holidays and busy times for our regular care workers. "
        "Training and a trial shift before your first booking.",
        "essential_criteria": "Driving licence and a car",
    },
    # --- Voluntary sector --------------------------------------------------------------
    {
        "org": FORUM,
        "reference": "FC-VOL-01",
        "group": "social-care",
        "closes_in": 29,
        "title": "Volunteer community health champion",
        "band": "",
        "pay_scale": "Voluntary (travel expenses paid)",
        "salary_min": None,
        "salary_max": None,
        "contract_type": CT.VOLUNTEERING,
        "working_patterns": [WP.PART_TIME, WP.FLEXIBLE],
        "hours_per_week": Decimal("4"),
        "site": "Community centres in Armley and New Wortley",
        "postcode": "LS12 1TW",
        "entry_level": True,
        "summary": "A few hours a week helping neighbours find out about health and care "
        "jobs, courses and support.",
        "description": "Talk to people at community cafés and events about careers in "
        "health and care, and help them sign up to sessions. Training and expenses are "
        "provided, and it is a great first step into paid work.",
        "essential_criteria": "Friendly and chatty\nKnows the local area",
    },
]


def _person(email: str | None) -> User | None:
    return User.objects.filter(email=email).first() if email else None


@transaction.atomic
def seed_demo() -> dict:
    created = {"vacancies": 0}
    today = timezone.localdate()
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in={v["org"] for v in VACANCIES})
    }
    groups = {g.slug: g for g in StaffGroup.objects.all()}
    for spec in VACANCIES:
        spec = dict(spec)
        organisation = organisations.get(spec.pop("org"))
        if organisation is None:
            continue
        if Vacancy.objects.filter(organisation=organisation, reference=spec["reference"]).exists():
            continue
        person = _person(HR_PEOPLE.get(organisation.name))
        membership = (
            Membership.objects.filter(user=person, organisation=organisation).first()
            if person
            else None
        )
        state = spec.pop("state", "published")
        questions = spec.pop("questions", ())
        spec["staff_group"] = groups[spec.pop("group")]
        spec["closing_date"] = today + timedelta(days=spec.pop("closes_in"))
        spec["contact"] = person
        vacancy = services.vacancy_create(
            organisation=organisation, actor=person, questions=questions, **spec
        )
        if state in ("published", "closed"):
            services.vacancy_publish(vacancy=vacancy, actor=person, membership=membership)
        if state == "closed":
            services.vacancy_close(vacancy=vacancy, actor=person)
        created["vacancies"] += 1
    created.update(demo_pipeline.seed_demo())
    created.update(demo_mobility.seed_demo())
    return created
