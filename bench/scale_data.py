"""City-scale data for the benchmark: hundreds of partners, a hundred thousand vacancies,
half a million applications with their stage histories, residents, campaign journeys and
saved searches, written in SQL (INSERT ... SELECT over generate_series) so that the whole
city takes minutes, not hours.

Every value is a function of the row's ordinal and the seed (`pg_temp.pick`, a hash), so
the same seed gives the same data. Dates are counted from the start of today, so open
vacancies stay open and job alerts are due whenever the data is made. Everything made
here is recognisable: organisation and neighbourhood slugs start with `scale-`, email
addresses end with `@scale.example`; replacing the data (`reset`) refuses to touch a
database holding anything else.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from hub.models import Membership, Organisation, User
from talent.models import Application, StaffGroup, Vacancy

SLUG_PREFIX = "scale-"
EMAIL_DOMAIN = "scale.example"
BENCH_USER_EMAIL = f"bench.hr@{EMAIL_DOMAIN}"
# A password no one can sign in with: the benchmark's HR user gets a session directly.
UNUSABLE_PASSWORD = "!scale-data"

PIPELINE_APPLICATIONS = 2000
CAMPAIGNS = 50
EVENTS_PER_CAMPAIGN = 10
NEIGHBOURHOODS = 40


class ScaleDataError(Exception):
    """The database is not one the scale data may be written to."""


@dataclass(frozen=True)
class Sizes:
    organisations: int
    vacancies: int
    open_vacancies: int
    draft_vacancies: int
    applications: int
    pipeline_applications: int
    candidates: int
    residents: int
    engagements: int
    saved_searches: int

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        """The issue's city at scale 1.0; a tiny scale keeps the proportions (and at least
        a handful of everything)."""

        def scaled(full: int, least: int) -> int:
            return max(least, round(full * scale))

        vacancies = scaled(100_000, 20)
        applications = scaled(500_000, 40)
        pipeline = min(PIPELINE_APPLICATIONS, applications // 4)
        residents = scaled(200_000, 10)
        return cls(
            organisations=scaled(500, 3),
            vacancies=vacancies,
            open_vacancies=max(2, round(vacancies * 0.2)),
            draft_vacancies=max(1, round(vacancies * 0.02)),
            applications=applications,
            pipeline_applications=pipeline,
            # Every applicant to the pipeline vacancy is a different person.
            candidates=max(scaled(100_000, 10), pipeline),
            residents=residents,
            # At most five journeys per resident: the first campaign has everyone.
            engagements=min(scaled(1_000_000, 10), residents * 5),
            saved_searches=scaled(50_000, 5),
        )


# --- Words the data is made of ----------------------------------------------------------------

# (title, staff group slug, band, salary min, salary max, period, contract, entry level)
ROLES = [
    ("Staff nurse", "nursing-and-midwifery", "5", 31049, 37796, "year", "permanent", False),
    ("Registered nurse, bank", "nursing-and-midwifery", "5", 19.50, 21.37, "hour", "bank", False),
    ("Senior staff nurse", "nursing-and-midwifery", "6", 38682, 46580, "year", "permanent", False),
    ("Community midwife", "nursing-and-midwifery", "6", 38682, 46580, "year", "permanent", False),
    ("Nursing associate", "nursing-and-midwifery", "4", 27485, 30162, "year", "permanent", False),
    ("Ward sister", "nursing-and-midwifery", "7", 47810, 54710, "year", "permanent", False),
    (
        "Physiotherapist",
        "allied-health-professionals",
        "5",
        31049,
        37796,
        "year",
        "permanent",
        False,
    ),
    (
        "Occupational therapist",
        "allied-health-professionals",
        "6",
        38682,
        46580,
        "year",
        "permanent",
        False,
    ),
    ("Paramedic", "allied-health-professionals", "6", 38682, 46580, "year", "permanent", False),
    (
        "Speech and language therapist",
        "allied-health-professionals",
        "6",
        38682,
        46580,
        "year",
        "fixed_term",
        False,
    ),
    ("Specialty doctor", "medical-and-dental", "", 59175, 95400, "year", "permanent", False),
    ("Clinical fellow", "medical-and-dental", "", 49909, 63152, "year", "fixed_term", False),
    ("Biomedical scientist", "healthcare-science", "5", 31049, 37796, "year", "permanent", False),
    (
        "Healthcare science assistant",
        "healthcare-science",
        "3",
        24937,
        26598,
        "year",
        "permanent",
        True,
    ),
    (
        "Healthcare assistant",
        "additional-clinical-services",
        "3",
        24937,
        26598,
        "year",
        "permanent",
        True,
    ),
    (
        "Healthcare support worker, bank",
        "additional-clinical-services",
        "2",
        12.45,
        12.45,
        "hour",
        "bank",
        True,
    ),
    (
        "Maternity support worker",
        "additional-clinical-services",
        "3",
        24937,
        26598,
        "year",
        "permanent",
        True,
    ),
    (
        "Pharmacy technician",
        "additional-professional-scientific-and-technical",
        "5",
        31049,
        37796,
        "year",
        "permanent",
        False,
    ),
    ("Care assistant", "social-care", "", 12.60, 13.20, "hour", "permanent", True),
    ("Senior care worker", "social-care", "", 13.50, 14.40, "hour", "permanent", False),
    ("Home care worker", "social-care", "", 12.80, 13.60, "hour", "permanent", True),
    ("Social worker", "social-care", "", 37035, 40476, "year", "permanent", False),
    ("Support worker, supported living", "social-care", "", 12.60, 13.10, "hour", "bank", True),
    ("Medical secretary", "admin-and-clerical", "3", 24937, 26598, "year", "permanent", False),
    ("Ward clerk", "admin-and-clerical", "2", 24465, 24465, "year", "permanent", True),
    (
        "Receptionist, GP practice",
        "admin-and-clerical",
        "",
        12.21,
        12.80,
        "hour",
        "permanent",
        True,
    ),
    ("Recruitment officer", "admin-and-clerical", "4", 27485, 30162, "year", "fixed_term", False),
    ("Porter", "estates-and-facilities", "2", 24465, 24465, "year", "permanent", True),
    ("Domestic assistant", "estates-and-facilities", "1", 24465, 24465, "year", "permanent", True),
    ("Catering assistant", "estates-and-facilities", "2", 24465, 24465, "year", "permanent", True),
    (
        "Healthcare apprentice",
        "students-and-apprentices",
        "2",
        24465,
        24465,
        "year",
        "apprenticeship",
        True,
    ),
    (
        "Nursing degree apprentice",
        "students-and-apprentices",
        "3",
        24937,
        26598,
        "year",
        "apprenticeship",
        True,
    ),
]

DEPARTMENTS = [
    "Emergency department",
    "Ward 12, respiratory",
    "Children's ward",
    "Theatres",
    "Intensive care",
    "Community nursing",
    "Stroke unit",
    "Older people's services",
    "Mental health inpatients",
    "Outpatients",
    "Day surgery",
    "Maternity",
    "Cardiology",
    "Renal unit",
    "Neighbourhood team",
    "Discharge lounge",
    "Rehabilitation",
    "Oncology",
    "Learning disabilities",
    "Homecare, east Leeds",
]

SITES = [
    ("St James's University Hospital", "Beckett Street, Leeds", 9),
    ("Leeds General Infirmary", "Great George Street, Leeds", 1),
    ("Chapel Allerton Hospital", "Chapeltown Road, Leeds", 7),
    ("Wharfedale Hospital", "Newall Carr Road, Otley", 21),
    ("Seacroft Hospital", "York Road, Leeds", 14),
    ("St Mary's Hospital", "Greenhill Road, Armley", 12),
    ("Merrion House", "Merrion Way, Leeds", 2),
    ("Wortley Beck Health Centre", "Ring Road, Lower Wortley", 12),
    ("Harehills Community Hub", "Harehills Road, Leeds", 8),
    ("Seacroft Care Home", "Seacroft Crescent, Leeds", 14),
    ("Morley Health Centre", "Corporation Street, Morley", 27),
    ("Pudsey Civic Hall", "Dawsons Corner, Pudsey", 28),
    ("Garforth Clinic", "Church Lane, Garforth", 25),
    ("Kirkstall Health Centre", "Morris Lane, Leeds", 5),
    ("Beeston Hill Health Centre", "Beeston Road, Leeds", 11),
    ("Middleton Park Care Home", "Middleton Park Road, Leeds", 10),
]

SUMMARIES = [
    "Join a friendly team caring for patients across the city.",
    "A chance to grow your career with full training and support.",
    "Make a real difference to people in your own community.",
    "Flexible shifts that fit around family life, with paid training.",
    "Be part of a busy, supportive team with a strong learning culture.",
    "No experience needed: we will train you and help you progress.",
]

DESCRIPTION_PARTS = [
    "You will work as part of a multidisciplinary team, delivering safe, compassionate care.",
    "We are looking for someone who is kind, reliable and keen to learn.",
    "The post includes a full induction, mandatory training and a named mentor.",
    "You will help patients with personal care, mobility, eating and drinking.",
    "You will assess needs, plan care and keep accurate records on our electronic systems.",
    "Shifts are long days, nights and weekends on a rota agreed four weeks ahead.",
    "We support apprenticeships and the nursing associate route for those who want to progress.",
    "Staff benefits include the NHS Pension Scheme, salary sacrifice and a cycle to work scheme.",
    "You will liaise with families, carers, social workers and GP practices.",
    "Experience in a care home, domiciliary care or hospital setting is welcome but not needed.",
    "We are a Disability Confident employer and welcome applications from every community.",
    "You will take part in audits, quality improvement and the team's learning sessions.",
    "The role covers clinics across several community sites in the east of the city.",
    "You will supervise healthcare assistants and students on placement.",
    "Our wellbeing offer includes free counselling, staff networks and flexible working.",
    "You will need a DBS check, which we pay for, and references covering three years.",
]

CRITERIA_PARTS = [
    "Good spoken and written English.",
    "Able to work shifts including weekends.",
    "Registration with the NMC.",
    "Registration with the HCPC.",
    "GCSE English and maths at grade 4 (C) or equivalent, or willing to work towards them.",
    "Care Certificate or willing to complete it.",
    "Experience of working with the public.",
    "A full driving licence and access to a car.",
    "Basic IT skills.",
    "Understanding of safeguarding adults and children.",
]

FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Daniel",
    "Ewa",
    "Farhan",
    "Grace",
    "Hassan",
    "Isla",
    "Jack",
    "Kemi",
    "Liam",
    "Maryam",
    "Noah",
    "Olivia",
    "Priya",
    "Qasim",
    "Ruby",
    "Sam",
    "Tomasz",
    "Uzma",
    "Victor",
    "Wei",
    "Yusuf",
    "Zara",
    "Aisha",
    "Connor",
    "Deborah",
    "Ibrahim",
    "Megan",
]
LAST_NAMES = [
    "Khan",
    "Smith",
    "Hussain",
    "Jones",
    "Taylor",
    "Brown",
    "Ahmed",
    "Wilson",
    "Kowalski",
    "Evans",
    "Begum",
    "Thomas",
    "Okafor",
    "Roberts",
    "Ali",
    "Walker",
    "Wright",
    "Patel",
    "Robinson",
    "Clarke",
    "Singh",
    "Hughes",
    "Mensah",
    "Green",
    "Wood",
    "Nowak",
    "Hall",
]

PLACES = [
    "Aire Valley",
    "Armley",
    "Beeston",
    "Bramley",
    "Chapeltown",
    "Crossgates",
    "Farsley",
    "Garforth",
    "Harehills",
    "Headingley",
    "Holbeck",
    "Horsforth",
    "Hunslet",
    "Kirkstall",
    "Meanwood",
    "Middleton",
    "Morley",
    "Otley",
    "Pudsey",
    "Rothwell",
    "Roundhay",
    "Seacroft",
    "Wetherby",
    "Yeadon",
    "Burley",
    "Gipton",
    "Killingbeck",
    "Rawdon",
    "Swarcliffe",
    "Woodhouse",
]
KIND_NOUNS = {
    "nhs_trust": "NHS Trust",
    "local_authority": "Council Services",
    "primary_care": "Medical Practice",
    "gp_confederation": "GP Confederation",
    "care_provider": "Care Services",
    "vcse": "Community Partnership",
    "education": "College",
    "national_body": "Workforce Body",
    "icb": "Integrated Care Board",
}
# How often each kind of partner appears, per 20 organisations.
KIND_WEIGHTS = [
    ("care_provider", 6),
    ("primary_care", 5),
    ("vcse", 3),
    ("nhs_trust", 2),
    ("education", 1),
    ("local_authority", 1),
    ("gp_confederation", 1),
    ("icb", 1),
]

NEIGHBOURHOOD_NAMES = [
    ("Armley", "Armley"),
    ("New Wortley", "Armley"),
    ("Lincoln Green", "Burmantofts and Richmond Hill"),
    ("Clifton and Nowells", "Gipton and Harehills"),
    ("Boggart Hill", "Killingbeck and Seacroft"),
    ("Harehills", "Gipton and Harehills"),
    ("Seacroft", "Killingbeck and Seacroft"),
    ("Beeston Hill", "Beeston and Holbeck"),
    ("Holbeck", "Beeston and Holbeck"),
    ("Middleton", "Middleton Park"),
    ("Belle Isle", "Middleton Park"),
    ("Chapeltown", "Chapel Allerton"),
    ("Burley", "Hyde Park and Woodhouse"),
    ("Little London", "Little London and Woodhouse"),
    ("Bramley", "Bramley and Stanningley"),
    ("Swarcliffe", "Cross Gates and Whinmoor"),
    ("Gipton", "Gipton and Harehills"),
    ("Halton Moor", "Temple Newsam"),
    ("Osmondthorpe", "Temple Newsam"),
    ("Hunslet", "Hunslet and Riverside"),
    ("Kirkstall", "Kirkstall"),
    ("Meanwood", "Moortown"),
    ("Farnley", "Farnley and Wortley"),
    ("Wortley", "Farnley and Wortley"),
    ("Morley", "Morley North"),
    ("Rothwell", "Rothwell"),
    ("Pudsey", "Pudsey"),
    ("Otley", "Otley and Yeadon"),
    ("Yeadon", "Otley and Yeadon"),
    ("Garforth", "Garforth and Swillington"),
    ("Wetherby", "Wetherby"),
    ("Horsforth", "Horsforth"),
    ("Roundhay", "Roundhay"),
    ("Headingley", "Headingley and Hyde Park"),
    ("Crossgates", "Cross Gates and Whinmoor"),
    ("Killingbeck", "Killingbeck and Seacroft"),
    ("Ireland Wood", "Weetwood"),
    ("Cottingley", "Beeston and Holbeck"),
    ("Kippax", "Kippax and Methley"),
    ("Guiseley", "Guiseley and Rawdon"),
]

SAVED_QUERIES = [
    "q=nurse",
    "q=healthcare+assistant",
    "q=care+assistant&pattern=part_time",
    "q=porter&entry_level=1",
    "staff_group=social-care",
    "band=5&staff_group=nursing-and-midwifery",
    "q=physiotherapist",
    "q=receptionist",
    "district=LS9",
    "district=LS12&entry_level=1",
    "apprenticeship=1",
    "q=support+worker&contract=bank",
    "trial_shift=1",
    "q=midwife",
    "q=admin&pattern=flexible",
    "q=pharmacy",
    "contract=permanent&band=3",
    "q=domestic",
    "q=social+worker",
    "kind=care_provider&pattern=weekends",
]

# (stage, share in 100, the stages it passed through, in order)
STAGE_PATHS = [
    ("submitted", 25, ["submitted"]),
    ("screening", 15, ["submitted", "screening"]),
    ("shortlisted", 8, ["submitted", "screening", "shortlisted"]),
    ("interview", 7, ["submitted", "screening", "shortlisted", "interview"]),
    ("offer", 3, ["submitted", "screening", "shortlisted", "interview", "offer"]),
    (
        "pre_employment",
        2,
        ["submitted", "screening", "shortlisted", "interview", "offer", "pre_employment"],
    ),
    (
        "hired",
        5,
        ["submitted", "screening", "shortlisted", "interview", "offer", "pre_employment", "hired"],
    ),
    ("rejected", 30, ["submitted", "screening", "rejected"]),
    ("withdrawn", 5, ["submitted", "withdrawn"]),
]

SOURCES = [value for value in Application.Source.values]
REJECTION_REASONS = ["not_essential", "others_stronger", "interview", "did_not_attend"]
PATTERNS = list(Vacancy.WorkingPattern.values)


# --- SQL helpers -----------------------------------------------------------------------------

PICK_FUNCTION = """
CREATE OR REPLACE FUNCTION pg_temp.pick(ordinal bigint, salt bigint, choices bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT mod(hashint8(ordinal * 1000003 + salt)::bigint + 2147483648, choices) $$
"""


def _stage_case(expression: str, column: int) -> str:
    """SQL choosing an application's stage (column 0) or its path (column 2) from a
    number 0-99, by the shares of STAGE_PATHS."""
    whens, upper = [], 0
    for stage, share, path in STAGE_PATHS:
        upper += share
        value = f"'{stage}'" if column == 0 else "ARRAY[" + ",".join(f"'{s}'" for s in path) + "]"
        whens.append(f"WHEN {expression} < {upper} THEN {value}")
    return "CASE " + " ".join(whens) + " END"


@dataclass
class _Context:
    seed: int
    sizes: Sizes
    now: datetime  # the start of today: every date is counted from it
    cursor: object
    first_org_id: int = 0
    first_user_id: int = 0  # the benchmark's HR user; then one HR user per organisation
    first_candidate_id: int = 0
    first_vacancy_id: int = 0
    first_neighbourhood_id: int = 0
    staff_group_ids: dict | None = None

    def salt(self, name: str) -> int:
        """A number per column, mixed with the seed, so columns vary independently."""
        return self.seed * 7919 + sum((index + 1) * ord(char) for index, char in enumerate(name))

    def pick(self, ordinal: str, column: str, choices: int | str) -> str:
        return f"pg_temp.pick(({ordinal})::bigint, {self.salt(column)}, ({choices})::bigint)"

    def uuid(self, kind: str, ordinal: str) -> str:
        return f"md5('{self.seed}:{kind}:' || ({ordinal})::text)::uuid"

    def run(self, sql: str, params=None) -> int:
        self.cursor.execute(sql, params)
        return self.cursor.rowcount

    def reserve_ids(self, table: str, count: int) -> int:
        """The first of `count` consecutive ids taken from the table's sequence."""
        self.cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = self.cursor.fetchone()[0]
        self.cursor.execute("SELECT nextval(%s)", [sequence])
        first = self.cursor.fetchone()[0]
        self.cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
        return first


def _one_of(context: _Context, array: str, ordinal: str, column: str, size: int) -> str:
    """SQL for an element of the text array parameter `array`, picked by the hash."""
    return f"(%({array})s::text[])[{context.pick(ordinal, column, size)} + 1]"


def _name(context: _Context, ordinal: str, kind: str) -> str:
    first = context.pick(ordinal, f"{kind}-first", len(FIRST_NAMES))
    last = context.pick(ordinal, f"{kind}-last", len(LAST_NAMES))
    return (
        f"((%(first_names)s::text[])[{first} + 1] || ' ' || (%(last_names)s::text[])[{last} + 1])"
    )


# --- The tables, in the order they are written ----------------------------------------------


def _organisations(context: _Context) -> int:
    sizes = context.sizes
    kinds = [kind for kind, weight in KIND_WEIGHTS for _ in range(weight)]
    context.first_org_id = context.reserve_ids("hub_organisation", sizes.organisations)
    place = context.pick("n", "org-place", len(PLACES))
    kind = f"(%(kinds)s::text[])[{context.pick('n', 'org-kind', len(kinds))} + 1]"
    return context.run(
        f"""
        INSERT INTO hub_organisation (id, created_at, updated_at, name, slug, kind, ods_code,
            description, website, address, postcode, logo, active, vacancies_need_approval)
        SELECT %(first)s + n - 1, %(now)s - interval '3 years', %(now)s,
            CASE WHEN n = 1 THEN 'Leeds Bench Teaching Hospitals NHS Trust'
                 ELSE (%(places)s::text[])[{place} + 1] || ' '
                      || (%(nouns)s::jsonb ->> kind) || ' ' || n END,
            '{SLUG_PREFIX}' || lpad(n::text, 3, '0'), kind, '',
            'A partner of the Leeds health and care workforce hub.', '',
            n || ' Park Row, Leeds', 'LS1 ' || (1 + mod(n, 9)) || 'AB', '', true, false
        FROM (SELECT n, CASE WHEN n = 1 THEN 'nhs_trust' ELSE {kind} END AS kind
              FROM generate_series(1, %(count)s) n) o
        """,
        {
            "first": context.first_org_id,
            "now": context.now,
            "count": sizes.organisations,
            "places": PLACES,
            "kinds": kinds,
            "nouns": json.dumps(KIND_NOUNS),
        },
    )


def _people(context: _Context) -> int:
    """The benchmark's HR user (ordinal 0), an HR user per organisation, then the
    candidates, in one run of ids."""
    sizes = context.sizes
    staff = sizes.organisations + 1
    context.first_user_id = context.reserve_ids("hub_user", staff + sizes.candidates)
    context.first_candidate_id = context.first_user_id + staff
    params = {
        "first": context.first_user_id,
        "staff": staff,
        "total": staff + sizes.candidates,
        "now": context.now,
        "password": UNUSABLE_PASSWORD,
        "bench_email": BENCH_USER_EMAIL,
        "first_names": FIRST_NAMES,
        "last_names": LAST_NAMES,
    }
    return context.run(
        f"""
        INSERT INTO hub_user (id, password, last_login, is_superuser, email, name, is_staff,
            is_active, date_joined)
        SELECT %(first)s + n, %(password)s, NULL, false,
            CASE WHEN n = 0 THEN %(bench_email)s
                 WHEN n < %(staff)s THEN 'hr-' || n || '@{EMAIL_DOMAIN}'
                 ELSE 'candidate-' || (n - %(staff)s + 1) || '@{EMAIL_DOMAIN}' END,
            CASE WHEN n = 0 THEN 'Bench HR'
                 WHEN n < %(staff)s THEN {_name(context, "n", "staff")}
                 ELSE {_name(context, "n - %(staff)s + 1", "candidate")} END,
            false, true, %(now)s - interval '400 days' + mod(n, 365) * interval '1 day'
        FROM generate_series(0, %(total)s - 1) n
        """,
        params,
    )


def _memberships(context: _Context) -> int:
    """The benchmark's user is an admin of the first organisation (with two-factor set
    up, as partner staff must); every other HR user is staff of their organisation."""
    rows = context.run(
        f"""
        INSERT INTO hub_membership (created_at, updated_at, id, role, user_id, organisation_id)
        SELECT %(now)s, %(now)s, {context.uuid("membership", "n")},
            CASE WHEN n = 0 THEN 'admin' ELSE 'staff' END,
            %(first_user)s + n, %(first_org)s + greatest(n, 1) - 1
        FROM generate_series(0, %(organisations)s) n
        """,
        {
            "now": context.now,
            "first_user": context.first_user_id,
            "first_org": context.first_org_id,
            "organisations": context.sizes.organisations,
        },
    )
    TOTP.activate(User.objects.get(pk=context.first_user_id), generate_totp_secret())
    return rows


def _vacancies(context: _Context) -> int:
    sizes = context.sizes
    context.first_vacancy_id = context.reserve_ids("talent_vacancy", sizes.vacancies)
    groups = context.staff_group_ids
    role = context.pick("n", "vacancy-role", len(ROLES))
    department = context.pick("n", "vacancy-department", len(DEPARTMENTS))
    site = context.pick("n", "vacancy-site", len(SITES))
    other_org = context.pick("n", "vacancy-org", sizes.organisations)
    org = f"CASE WHEN n = 1 THEN 1 ELSE 1 + {other_org} END"
    past_kind = context.pick("n", "vacancy-past", 100)
    pattern = context.pick("n", "vacancy-pattern", len(PATTERNS))
    description = " || ' ' || ".join(
        _one_of(context, "description_parts", "n", f"vacancy-desc-{part}", len(DESCRIPTION_PARTS))
        for part in range(5)
    )
    criteria = " || ' ' || ".join(
        _one_of(context, "criteria_parts", "n", f"vacancy-crit-{part}", len(CRITERIA_PARTS))
        for part in range(3)
    )
    desirable = _one_of(context, "criteria_parts", "n", "vacancy-desirable", len(CRITERIA_PARTS))
    published_hours_ago = context.pick("n", "vacancy-published", 60 * 24)
    params = {
        "first": context.first_vacancy_id,
        "count": sizes.vacancies,
        "open": sizes.open_vacancies,
        "drafts_from": sizes.vacancies - sizes.draft_vacancies + 1,
        "now": context.now,
        "today": context.now.date(),
        "first_org": context.first_org_id,
        "first_hr": context.first_user_id,
        "titles": [r[0] for r in ROLES],
        "title_slugs": [slugify(r[0]) for r in ROLES],
        "groups": [groups[r[1]] for r in ROLES],
        "bands": [r[2] for r in ROLES],
        "salary_min": [Decimal(str(r[3])) for r in ROLES],
        "salary_max": [Decimal(str(r[4])) for r in ROLES],
        "periods": [r[5] for r in ROLES],
        "contracts": [r[6] for r in ROLES],
        "entry": [r[7] for r in ROLES],
        "social_care": [r[1] == "social-care" for r in ROLES],
        "departments": DEPARTMENTS,
        "department_slugs": [slugify(d) for d in DEPARTMENTS],
        "sites": [s[0] for s in SITES],
        "site_addresses": [s[1] for s in SITES],
        "site_districts": [s[2] for s in SITES],
        "summaries": SUMMARIES,
        "description_parts": DESCRIPTION_PARTS,
        "criteria_parts": CRITERIA_PARTS,
        "patterns": PATTERNS,
    }
    return context.run(
        f"""
        WITH base AS (
            SELECT n, {role} + 1 AS r, {department} + 1 AS d, {site} + 1 AS s, {org} AS o,
                CASE WHEN n <= %(open)s THEN 'published'
                     WHEN n >= %(drafts_from)s THEN 'draft'
                     WHEN {past_kind} < 60 THEN 'closed'
                     WHEN {past_kind} < 85 THEN 'filled'
                     ELSE 'published' END AS status,
                CASE WHEN n <= %(open)s
                     THEN %(today)s::date + 1 + {context.pick("n", "vacancy-closes", 56)}::int
                     ELSE %(today)s::date - 1 - {context.pick("n", "vacancy-closed", 700)}::int
                     END AS closing,
                {pattern} AS p
            FROM generate_series(1, %(count)s) n
        ), timed AS (
            SELECT base.*,
                CASE WHEN status = 'draft' THEN NULL
                     WHEN n <= %(open)s THEN %(now)s - {published_hours_ago} * interval '1 hour'
                     ELSE closing - 28 + interval '9 hours' END AS published
            FROM base
        )
        INSERT INTO talent_vacancy (id, created_at, updated_at, status, title, slug, reference,
            band, pay_scale, salary_min, salary_max, salary_period, contract_type,
            working_patterns, hours_per_week, site, address, postcode, postcode_district,
            closing_date, entry_level, apprenticeship, trial_shift_available,
            disability_confident, visa_sponsorship, summary, description, essential_criteria,
            desirable_criteria, application_alerts, published_at, closed_at, contact_id,
            created_by_id, organisation_id, staff_group_id, anonymised_shortlisting,
            guaranteed_interview_routes)
        SELECT %(first)s + n - 1,
            coalesce(published, %(now)s - interval '3 days') - interval '2 days',
            coalesce(published, %(now)s - interval '3 days'),
            status,
            (%(titles)s::text[])[r] || ' – ' || (%(departments)s::text[])[d],
            (%(title_slugs)s::text[])[r] || '-' || (%(department_slugs)s::text[])[d],
            'SC-' || lpad(n::text, 6, '0'),
            (%(bands)s::text[])[r],
            CASE WHEN (%(bands)s::text[])[r] = '' THEN 'Provider pay scale' ELSE '' END,
            (%(salary_min)s::numeric[])[r], (%(salary_max)s::numeric[])[r],
            (%(periods)s::text[])[r], (%(contracts)s::text[])[r],
            CASE WHEN {context.pick("n", "vacancy-two-patterns", 3)} = 0
                 THEN ARRAY[(%(patterns)s::text[])[p + 1],
                            (%(patterns)s::text[])[mod(p + 2, 7) + 1]]
                 ELSE ARRAY[(%(patterns)s::text[])[p + 1]] END,
            CASE WHEN p = 0 THEN 37.5 ELSE 15 + {context.pick("n", "vacancy-hours", 23)} END,
            (%(sites)s::text[])[s], (%(site_addresses)s::text[])[s],
            'LS' || (%(site_districts)s::int[])[s] || ' ' || (1 + mod(n, 9))
                || chr(65 + mod(n, 26)::int) || chr(65 + mod(n / 26, 26)::int),
            'LS' || (%(site_districts)s::int[])[s],
            closing,
            (%(entry)s::bool[])[r] OR {context.pick("n", "vacancy-entry", 10)} = 0,
            (%(contracts)s::text[])[r] = 'apprenticeship',
            (%(social_care)s::bool[])[r] AND {context.pick("n", "vacancy-trial", 2)} = 0,
            {context.pick("n", "vacancy-dc", 2)} = 0,
            {context.pick("n", "vacancy-visa", 5)} = 0,
            (%(summaries)s::text[])[{context.pick("n", "vacancy-summary", len(SUMMARIES))} + 1],
            {description},
            {criteria},
            {desirable},
            'immediately', published,
            CASE WHEN status IN ('closed', 'filled') THEN closing + interval '1 day' END,
            %(first_hr)s + o, %(first_hr)s + o, %(first_org)s + o - 1,
            (%(groups)s::bigint[])[r],
            n > 1 AND {context.pick("n", "vacancy-anonymised", 10)} = 0,
            CASE WHEN {context.pick("n", "vacancy-routes", 5)} = 0
                 THEN ARRAY['employability'] ELSE ARRAY[]::text[] END
        FROM timed
        """,
        params,
    )


def _applications(context: _Context) -> int:
    """The first vacancy has exactly `pipeline_applications`; the rest are spread in
    runs of a few over every vacancy that is not a draft. A candidate's applications are
    `candidates` ordinals apart, so no one applies twice to one vacancy."""
    sizes = context.sizes
    with_applications = sizes.vacancies - sizes.draft_vacancies
    vacancy = (
        "CASE WHEN n <= %(pipeline)s THEN 1 ELSE 2 + ((n - %(pipeline)s - 1)::bigint "
        "* (%(with_applications)s - 1)) / (%(applications)s - %(pipeline)s) END"
    )
    stage_roll = context.pick("n", "application-stage", 100)
    steps = (
        "CASE stage WHEN 'hired' THEN 6 WHEN 'pre_employment' THEN 5 WHEN 'offer' THEN 4 "
        "WHEN 'interview' THEN 3 WHEN 'shortlisted' THEN 2 WHEN 'rejected' THEN 2 "
        "WHEN 'screening' THEN 1 WHEN 'withdrawn' THEN 1 ELSE 0 END"
    )
    params = {
        "pipeline": sizes.pipeline_applications,
        "with_applications": with_applications,
        "applications": sizes.applications,
        "candidates": sizes.candidates,
        "first_vacancy": context.first_vacancy_id,
        "first_candidate": context.first_candidate_id,
        "now": context.now,
        "first_names": FIRST_NAMES,
        "last_names": LAST_NAMES,
        "sources": SOURCES,
        "reasons": REJECTION_REASONS,
        "statements": DESCRIPTION_PARTS,
    }
    return context.run(
        f"""
        WITH base AS (
            SELECT n, 1 + mod(n - 1, %(candidates)s) AS c,
                %(first_vacancy)s + ({vacancy}) - 1 AS vacancy_id,
                {_stage_case(stage_roll, 0)} AS stage
            FROM generate_series(1, %(applications)s) n
        ), timed AS (
            SELECT base.*,
                least(%(now)s - interval '1 hour',
                      v.published_at + {context.pick("n", "application-after", 27 * 24)}
                      * interval '1 hour') AS submitted
            FROM base JOIN talent_vacancy v ON v.id = base.vacancy_id
        )
        INSERT INTO talent_application (created_at, updated_at, id, stage, full_name, email,
            phone, address, postcode, postcode_sector, supporting_statement, cv, cv_filename,
            right_to_work,
            reasonable_adjustments, source, campaign_code, submitted_at, stage_changed_at,
            contact_notified_at, anonymised_at, candidate_id, vacancy_id, duplicate_key,
            fair_route, meets_essential_criteria, rejection_reason)
        SELECT submitted - interval '30 minutes',
            least(%(now)s, submitted + ({steps}) * interval '2 days'),
            {context.uuid("application", "n")}, stage, {_name(context, "c", "candidate")},
            'candidate-' || c || '@{EMAIL_DOMAIN}',
            '07700 9' || lpad(mod(c, 100000)::text, 5, '0'),
            (1 + mod(c, 200)) || ' Back Lane, Leeds',
            'LS' || (1 + mod(c, 28)) || ' ' || (1 + mod(c, 9)) || 'QT',
            'LS' || (1 + mod(c, 28)) || ' ' || (1 + mod(c, 9)),
            {_one_of(context, "statements", "n", "application-statement", len(DESCRIPTION_PARTS))},
            '', '', 'yes', '',
            (%(sources)s::text[])[{context.pick("n", "application-source", len(SOURCES))} + 1],
            '', submitted, least(%(now)s, submitted + ({steps}) * interval '2 days'), submitted,
            NULL, %(first_candidate)s + c - 1, vacancy_id,
            lower({_name(context, "c", "candidate")})
                || '|077009' || lpad(mod(c, 100000)::text, 5, '0'),
            CASE WHEN {context.pick("n", "application-route", 10)} = 0 THEN 'employability'
                 ELSE '' END,
            CASE WHEN stage IN ('shortlisted', 'interview', 'offer', 'pre_employment', 'hired')
                 THEN true END,
            CASE WHEN stage = 'rejected' THEN (%(reasons)s::text[])[
                {context.pick("n", "application-reason", len(REJECTION_REASONS))} + 1] ELSE '' END
        FROM timed
        """,
        params,
    )


def _stage_changes(context: _Context) -> int:
    """Each application's moves, from draft to where it is now, two days apart (the last
    at its `stage_changed_at`)."""
    paths = ", ".join(
        f"('{stage}', ARRAY[" + ",".join(f"'{s}'" for s in path) + "])"
        for stage, _share, path in STAGE_PATHS
    )
    return context.run(
        f"""
        INSERT INTO talent_stagechange (created_at, from_stage, to_stage, reason, actor_id,
            application_id)
        SELECT least(a.stage_changed_at, a.submitted_at + (step - 1) * interval '2 days'),
            CASE WHEN step = 1 THEN 'draft' ELSE p.path[step - 1] END, p.path[step], '',
            NULL, a.id
        FROM talent_application a
        JOIN (VALUES {paths}) p(stage, path) ON p.stage = a.stage
        CROSS JOIN LATERAL generate_series(1, cardinality(p.path)) step
        WHERE a.vacancy_id BETWEEN %(first)s AND %(last)s
        """,
        {
            "first": context.first_vacancy_id,
            "last": context.first_vacancy_id + context.sizes.vacancies - 1,
        },
    )


def _saved_searches(context: _Context) -> int:
    """Job alerts of candidates, all due: last sent a day and an hour ago."""
    return context.run(
        f"""
        INSERT INTO talent_savedsearch (created_at, updated_at, id, name, query, frequency,
            active, last_sent_at, unsubscribe_token, user_id)
        SELECT %(now)s - interval '30 days', %(now)s - interval '25 hours',
            {context.uuid("saved-search", "n")}, 'Job alert ' || n, q.query,
            CASE WHEN {context.pick("n", "saved-weekly", 7)} = 0 THEN 'weekly' ELSE 'daily' END,
            true, %(now)s - interval '25 hours',
            md5('{context.seed}:token-a:' || n) || md5('{context.seed}:token-b:' || n),
            %(first_candidate)s + mod(n - 1, %(candidates)s)
        FROM generate_series(1, %(count)s) n
        CROSS JOIN LATERAL (SELECT (%(queries)s::text[])[
            {context.pick("n", "saved-query", len(SAVED_QUERIES))} + 1] AS query) q
        """,
        {
            "now": context.now,
            "count": context.sizes.saved_searches,
            "candidates": context.sizes.candidates,
            "first_candidate": context.first_candidate_id,
            "queries": SAVED_QUERIES,
        },
    )


def _neighbourhoods(context: _Context) -> int:
    """Neighbourhoods, each with three postcode sectors."""
    names = NEIGHBOURHOOD_NAMES[:NEIGHBOURHOODS]
    first = context.reserve_ids("campaigns_neighbourhood", len(names))
    context.first_neighbourhood_id = first
    rows = context.run(
        f"""
        INSERT INTO campaigns_neighbourhood (id, name, slug, ward, imd_decile)
        SELECT %(first)s + n - 1, (%(names)s::text[])[n],
            '{SLUG_PREFIX}' || (%(slugs)s::text[])[n], (%(wards)s::text[])[n],
            1 + {context.pick("n", "neighbourhood-decile", 10)}
        FROM generate_series(1, %(count)s) n
        """,
        {
            "first": first,
            "count": len(names),
            "names": [name for name, _ward in names],
            "slugs": [slugify(name) for name, _ward in names],
            "wards": [ward for _name, ward in names],
        },
    )
    rows += context.run(
        """
        INSERT INTO campaigns_postcodesector (sector, neighbourhood_id)
        SELECT 'LS' || (1 + mod(n - 1, 27)) || ' ' || ((n - 1) / 27 * 3 + k),
            %(first)s + n - 1
        FROM generate_series(1, %(count)s) n, generate_series(0, 2) k
        """,
        {"first": first, "count": len(names)},
    )
    return rows


def _residents(context: _Context) -> int:
    """Residents of the neighbourhoods (one in twenty not placed), with consent to be
    contacted for three in five."""
    place = context.pick("n", "resident-place", NEIGHBOURHOODS)
    rows = context.run(
        f"""
        INSERT INTO campaigns_resident (created_at, updated_at, id, name, email, phone,
            postcode, anonymised_at, neighbourhood_id, user_id)
        SELECT %(now)s - {context.pick("n", "resident-created", 700)} * interval '1 day',
            %(now)s - interval '1 day', {context.uuid("resident", "n")},
            {_name(context, "n", "resident")},
            CASE WHEN {context.pick("n", "resident-email", 10)} < 7
                 THEN 'resident-' || n || '@{EMAIL_DOMAIN}' ELSE '' END,
            '07700 8' || lpad(mod(n, 100000)::text, 5, '0'),
            CASE WHEN {context.pick("n", "resident-unplaced", 20)} = 0 THEN ''
                 ELSE 'LS' || (1 + mod({place}, 27)) || ' ' || ({place} / 27 * 3) || 'HN' END,
            NULL,
            CASE WHEN {context.pick("n", "resident-unplaced", 20)} = 0 THEN NULL
                 ELSE %(first_neighbourhood)s + {place} END,
            NULL
        FROM generate_series(1, %(count)s) n
        """,
        {
            "now": context.now,
            "count": context.sizes.residents,
            "first_neighbourhood": context.first_neighbourhood_id,
            "first_names": FIRST_NAMES,
            "last_names": LAST_NAMES,
        },
    )
    rows += context.run(
        f"""
        INSERT INTO campaigns_contactconsent (wording, given_at, captured_by, withdrawn_at,
            recorded_by_id, resident_id)
        SELECT 'I agree to be contacted about health and care jobs, training and events.',
            %(now)s - {context.pick("n", "resident-created", 700)} * interval '1 day',
            (ARRAY['outreach', 'event_sign_up', 'paper_sheet', 'staff'])[
                {context.pick("n", "consent-by", 4)} + 1],
            NULL, NULL, {context.uuid("resident", "n")}
        FROM generate_series(1, %(count)s) n
        WHERE {context.pick("n", "consent", 5)} < 3
        """,
        {"now": context.now, "count": context.sizes.residents},
    )
    return rows


def _campaigns(context: _Context) -> int:
    """Campaigns a fortnight apart over the last two years, each aimed at three
    neighbourhoods with ten events. The first organisation leads the first campaign
    and is a partner in every other, so its reports span every journey."""
    campaign = context.uuid("campaign", "k")
    starts = "(%(today)s::date - 730 + k * 12)"
    params = {
        "now": context.now,
        "today": context.now.date(),
        "count": CAMPAIGNS,
        "events": EVENTS_PER_CAMPAIGN,
        "first_org": context.first_org_id,
        "first_neighbourhood": context.first_neighbourhood_id,
        "organisations": context.sizes.organisations,
        "neighbourhoods": [name for name, _ward in NEIGHBOURHOOD_NAMES[:NEIGHBOURHOODS]],
        "kinds": [
            "community_session",
            "webinar",
            "school_visit",
            "employability_course",
            "work_experience",
        ],
    }
    other_lead = context.pick("k", "campaign-lead", context.sizes.organisations)
    lead = f"CASE WHEN k = 1 THEN 1 ELSE 1 + {other_lead} END"
    rows = context.run(
        f"""
        INSERT INTO campaigns_campaign (created_at, updated_at, id, name, slug, summary,
            starts_on, ends_on, target_roles, goal_engaged, goal_attended, goal_applied,
            goal_outcomes, is_public, lead_organisation_id)
        SELECT %(now)s - interval '800 days', %(now)s, {campaign},
            'Health and care careers in ' || (%(neighbourhoods)s::text[])[1 + mod(k - 1, 40)]
                || ' ' || k,
            '{SLUG_PREFIX}campaign-' || k,
            'Meet local employers and find a route into health and care work.',
            {starts}, {starts} + 180, 'Healthcare assistants, care workers and porters.',
            20000, 5000, 3000, 1000, true, %(first_org)s + ({lead}) - 1
        FROM generate_series(1, %(count)s) k
        """,
        params,
    )
    rows += context.run(
        f"""
        INSERT INTO campaigns_campaign_partner_organisations (campaign_id, organisation_id)
        SELECT {campaign}, %(first_org)s FROM generate_series(2, %(count)s) k
        """,
        params,
    )
    rows += context.run(
        f"""
        INSERT INTO campaigns_campaign_neighbourhoods (campaign_id, neighbourhood_id)
        SELECT {campaign}, %(first_neighbourhood)s + mod(k * 3 + i, 40)
        FROM generate_series(1, %(count)s) k, generate_series(0, 2) i
        """,
        params,
    )
    rows += context.run(
        f"""
        INSERT INTO campaigns_event (created_at, updated_at, id, kind, title, description,
            starts_at, ends_at, venue_name, address, postcode, online_url, capacity, status,
            cancelled_at, campaign_id, organisation_id)
        SELECT %(now)s - interval '800 days', %(now)s,
            {context.uuid("event", "k * 100 + e")}, (%(kinds)s::text[])[1 + mod(e, 5)],
            'Careers session ' || e || ', campaign ' || k,
            'Come and meet health and care employers.',
            ({starts} + e * 15)::timestamp AT TIME ZONE 'Europe/London' + interval '10 hours',
            ({starts} + e * 15)::timestamp AT TIME ZONE 'Europe/London' + interval '12 hours',
            'Community centre ' || e, e || ' High Street, Leeds', 'LS12 1AA', '', 200,
            'scheduled', NULL, {campaign}, c.lead_organisation_id
        FROM generate_series(1, %(count)s) k
        CROSS JOIN generate_series(1, %(events)s) e
        JOIN campaigns_campaign c ON c.id = {campaign}
        """,
        params,
    )
    return rows


def _engagements(context: _Context) -> int:
    """Every resident in the first campaign; the rest spread over the others (ordinal j
    of the rest: campaign 2 + j mod 49, resident j * 7919 mod R, so no resident joins a
    campaign twice). One in four attended one of the campaign's events."""
    sizes = context.sizes
    residents = sizes.residents
    campaign = (
        "CASE WHEN n <= %(residents)s THEN 1 "
        "ELSE 2 + mod(n - %(residents)s - 1, %(campaigns)s - 1) END"
    )
    resident = (
        "CASE WHEN n <= %(residents)s THEN n "
        "ELSE 1 + mod((n::bigint - %(residents)s - 1) * 7919, %(residents)s) END"
    )
    roll = context.pick("n", "engagement-stage", 100)
    event = context.pick("n", "booking-event", EVENTS_PER_CAMPAIGN)
    params = {
        "now": context.now,
        "today": context.now.date(),
        "count": sizes.engagements,
        "residents": residents,
        "campaigns": CAMPAIGNS,
        "first_org": context.first_org_id,
        "channels": list(["face_to_face", "school", "online", "referral"]),
        "programmes": ["care_academy", "employability_course", "volunteering", "apprenticeship"],
        "outcomes": ["started_job", "started_training", "employability_support", "volunteering"],
    }
    rows = context.run(
        f"""
        WITH base AS (
            SELECT n, {campaign} AS k, {resident} AS r, {roll} AS roll
            FROM generate_series(1, %(count)s) n
        ), dated AS (
            SELECT base.*, least(%(today)s::date,
                (%(today)s::date - 730 + k * 12) + {context.pick("n", "engagement-day", 180)}::int)
                AS engaged
            FROM base
        )
        INSERT INTO campaigns_engagement (created_at, updated_at, id, engaged_on, channel,
            referred_for_support_on, programme, programme_referred_on, applied_on, outcome,
            outcome_on, left_on, notes, application_id, campaign_id, organisation_id,
            recorded_by_id, resident_id, tracking_link_id)
        SELECT engaged + interval '12 hours', engaged + interval '12 hours',
            {context.uuid("engagement", "n")}, engaged,
            (%(channels)s::text[])[{context.pick("n", "engagement-channel", 4)} + 1],
            CASE WHEN roll < 15 THEN engaged + 7 END,
            CASE WHEN roll < 10 THEN (%(programmes)s::text[])[1 + mod(roll, 4)] ELSE '' END,
            CASE WHEN roll < 10 THEN engaged + 10 END,
            CASE WHEN roll < 20 THEN engaged + 14 END,
            CASE WHEN roll < 8 THEN (%(outcomes)s::text[])[1 + mod(roll, 4)] ELSE '' END,
            CASE WHEN roll < 8 THEN engaged + 40 END,
            CASE WHEN roll < 8 AND mod(roll, 4) = 0
                  AND {context.pick("n", "engagement-left", 5)} = 0 THEN engaged + 200 END,
            '', NULL, {context.uuid("campaign", "k")}, c.lead_organisation_id, NULL,
            {context.uuid("resident", "r")}, NULL
        FROM dated JOIN campaigns_campaign c ON c.id = {context.uuid("campaign", "k")}
        """,
        params,
    )
    rows += context.run(
        f"""
        WITH base AS (
            SELECT n, {campaign} AS k, {resident} AS r FROM generate_series(1, %(count)s) n
            WHERE {context.pick("n", "engagement-booked", 4)} = 0
        )
        INSERT INTO campaigns_eventbooking (created_at, updated_at, id, status, waiting_since,
            promoted_at, cancelled_at, attended, attendance_marked_at, completed_course,
            reminded_at, attendance_marked_by_id, event_id, resident_id)
        SELECT %(now)s - interval '30 days', %(now)s - interval '30 days',
            {context.uuid("booking", "n")}, 'booked', NULL, NULL, NULL,
            {context.pick("n", "booking-attended", 10)} < 7, NULL,
            {context.pick("n", "booking-attended", 10)} < 4, NULL, NULL,
            {context.uuid("event", f"k * 100 + 1 + {event}")},
            {context.uuid("resident", "r")}
        FROM base
        """,
        params,
    )
    return rows


TABLES: list[tuple[str, Callable[[_Context], int]]] = [
    ("organisations", _organisations),
    ("people (HR staff and candidates)", _people),
    ("memberships", _memberships),
    ("vacancies", _vacancies),
    ("applications", _applications),
    ("stage changes", _stage_changes),
    ("saved searches", _saved_searches),
    ("neighbourhoods and postcode sectors", _neighbourhoods),
    ("residents and consents", _residents),
    ("campaigns, partners and events", _campaigns),
    ("engagements and event bookings", _engagements),
]


# --- Safety and the whole run -------------------------------------------------------------------


def has_data() -> bool:
    return Organisation.objects.exists() or User.objects.exists()


def only_scale_data() -> bool:
    """Is everything in the database scale data (or nothing at all)?"""
    from campaigns.models import Neighbourhood

    return not (
        Organisation.objects.exclude(slug__startswith=SLUG_PREFIX).exists()
        or User.objects.exclude(email__endswith=f"@{EMAIL_DOMAIN}").exists()
        or Neighbourhood.objects.exclude(slug__startswith=SLUG_PREFIX).exists()
    )


def remove_scale_data() -> None:
    """Empty the tables the scale data fills (and everything that hangs off them),
    after checking that nothing else is there."""
    if not only_scale_data():
        raise ScaleDataError(
            "This database holds data that is not scale data: refusing to remove anything."
        )
    with transaction.atomic(), connection.cursor() as cursor:
        # Checks of foreign keys still pending in an open transaction would block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # The cascade reaches the append-only audit log, whose trigger refuses TRUNCATE
        # unless the transaction allows it (hub/migrations/0004_audit_append_only.py).
        cursor.execute("SET LOCAL hub.audit_log_truncate = 'allow'")
        cursor.execute(
            "TRUNCATE hub_organisation, hub_user, campaigns_neighbourhood RESTART IDENTITY CASCADE"
        )
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def generate(
    *, scale: float, seed: int, reset: bool = False, report: Callable[[str], None] = print
) -> dict[str, tuple[int, float]]:
    """Write the city. Returns {table: (rows, seconds)}. Refuses a database with data
    unless `reset`, and `reset` refuses one with anything but scale data."""
    if has_data():
        if not reset:
            raise ScaleDataError(
                "The database already has data. Use --reset to replace earlier scale data."
            )
        remove_scale_data()
    sizes = Sizes.for_scale(scale)
    today = timezone.localdate()
    now = timezone.make_aware(datetime.combine(today, clock.min))
    timings = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(PICK_FUNCTION)
        context = _Context(seed=seed, sizes=sizes, now=now, cursor=cursor)
        context.staff_group_ids = dict(StaffGroup.objects.values_list("slug", "pk"))
        missing = {role[1] for role in ROLES} - context.staff_group_ids.keys()
        if missing:
            raise ScaleDataError(f"Staff groups missing (run migrate): {sorted(missing)}")
        for label, write in TABLES:
            started = time.perf_counter()
            rows = write(context)
            seconds = time.perf_counter() - started
            timings[label] = (rows, seconds)
            report(f"{label:<40} {rows:>10,} rows {seconds:8.1f} s")
        started = time.perf_counter()
    # Django's foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED).
    _timed(timings, "commit (foreign key checks)", started, report)
    started = time.perf_counter()
    _analyse()
    _timed(timings, "VACUUM ANALYZE", started, report)
    return timings


def _timed(timings: dict, label: str, started: float, report: Callable[[str], None]) -> None:
    timings[label] = (0, time.perf_counter() - started)
    report(f"{label:<40} {'':>15} {timings[label][1]:8.1f} s")


def _analyse() -> None:
    """Fresh planner statistics; outside a transaction also VACUUM, which sets the
    visibility map and hint bits as autovacuum would have on a database in use."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def bench_user() -> User:
    return User.objects.get(email=BENCH_USER_EMAIL)


def pipeline_vacancy() -> Vacancy:
    """The vacancy with exactly PIPELINE_APPLICATIONS applications (the first made)."""
    return Vacancy.objects.filter(organisation__slug=f"{SLUG_PREFIX}001").order_by("pk").first()


def largest_campaign():
    from campaigns.models import Campaign

    return Campaign.objects.get(slug=f"{SLUG_PREFIX}campaign-1")


def bench_membership() -> Membership:
    return Membership.objects.select_related("organisation").get(user__email=BENCH_USER_EMAIL)
