"""schema.org JobPosting for a live vacancy: what Google for Jobs and other job boards
read from the vacancy page (https://developers.google.com/search/docs/appearance/
structured-data/job-posting). Built as a dict here, written into the page by
`jsonld_script`, escaped the way Django's `json_script` escapes."""

import json
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.template.defaultfilters import linebreaks_filter
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from talent.models import Vacancy

LONDON = ZoneInfo("Europe/London")

_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

_CONTRACT_TYPES = {
    Vacancy.ContractType.FIXED_TERM: "TEMPORARY",
    Vacancy.ContractType.SECONDMENT: "TEMPORARY",
    Vacancy.ContractType.BANK: "PER_DIEM",
    Vacancy.ContractType.VOLUNTEERING: "VOLUNTEER",
    Vacancy.ContractType.WORK_EXPERIENCE: "INTERN",
}
_PATTERN_TYPES = {
    Vacancy.WorkingPattern.FULL_TIME: "FULL_TIME",
    Vacancy.WorkingPattern.COMPRESSED: "FULL_TIME",
    Vacancy.WorkingPattern.PART_TIME: "PART_TIME",
    Vacancy.WorkingPattern.TERM_TIME: "PART_TIME",
}
_SALARY_UNITS = {
    Vacancy.SalaryPeriod.YEAR: "YEAR",
    Vacancy.SalaryPeriod.MONTH: "MONTH",
    Vacancy.SalaryPeriod.WEEK: "WEEK",
    Vacancy.SalaryPeriod.DAY: "DAY",
    Vacancy.SalaryPeriod.HOUR: "HOUR",
}


def employment_types(vacancy: Vacancy) -> list[str]:
    """Google's employment types for the contract and working patterns, in that order,
    each once; OTHER when neither says."""
    types = []
    for kind in [_CONTRACT_TYPES.get(vacancy.contract_type)] + [
        _PATTERN_TYPES.get(pattern) for pattern in vacancy.working_patterns
    ]:
        if kind and kind not in types:
            types.append(kind)
    return types or ["OTHER"]


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _salary(vacancy: Vacancy) -> dict | None:
    low, high = vacancy.salary_min, vacancy.salary_max
    if low is None and high is None:
        return None
    value = {"@type": "QuantitativeValue", "unitText": _SALARY_UNITS[vacancy.salary_period]}
    if low is not None and high is not None and low != high:
        value["minValue"], value["maxValue"] = _number(low), _number(high)
    else:
        value["value"] = _number(low if low is not None else high)
    return {"@type": "MonetaryAmount", "currency": "GBP", "value": value}


def _address(vacancy: Vacancy) -> dict:
    """A PostalAddress from the free-text address: its last line (when it has more than
    one, and that line is not the postcode) is the town."""
    postcode = " ".join(vacancy.postcode.upper().split())
    lines = [
        line.strip(" ,")
        for line in vacancy.address.splitlines()
        if line.strip(" ,") and " ".join(line.upper().split()) != postcode
    ]
    if len(lines) == 1 and "," in lines[0]:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    address = {"@type": "PostalAddress"}
    if len(lines) > 1:
        address["streetAddress"] = ", ".join(lines[:-1])
        address["addressLocality"] = lines[-1]
    elif lines:
        address["streetAddress"] = lines[0]
    elif vacancy.site:
        address["streetAddress"] = vacancy.site
    address["postalCode"] = postcode
    address["addressCountry"] = "GB"
    return address


def _description_html(vacancy: Vacancy) -> str:
    parts = [f"<p>{escape(vacancy.summary)}</p>", linebreaks_filter(vacancy.description)]
    for heading, text in (
        ("Essential criteria", vacancy.essential_criteria),
        ("Desirable criteria", vacancy.desirable_criteria),
    ):
        if text.strip():
            parts += [f"<h2>{heading}</h2>", linebreaks_filter(text)]
    return "\n".join(parts)


def end_of_day(day) -> datetime:
    """The last second of a date in UK time: when a vacancy closing that day closes."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def job_posting(vacancy: Vacancy, *, absolute) -> dict:
    """The JobPosting of a vacancy (with its organisation selected). `absolute` turns a
    path into a full URL, for example `request.build_absolute_uri`."""
    organisation = vacancy.organisation
    hiring = {"@type": "Organization", "name": organisation.name}
    if organisation.website:
        hiring["sameAs"] = organisation.website
    if organisation.logo:
        hiring["logo"] = absolute(organisation.logo.url)
    posted = vacancy.published_at or vacancy.created_at
    place = {"@type": "Place", "address": _address(vacancy)}
    if vacancy.site:
        place["name"] = vacancy.site

    posting = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": _description_html(vacancy),
        "url": absolute(vacancy.get_absolute_url()),
        "datePosted": posted.astimezone(LONDON).date().isoformat(),
        "validThrough": end_of_day(vacancy.closing_date).isoformat(),
        "employmentType": employment_types(vacancy),
        "hiringOrganization": hiring,
        "jobLocation": place,
        "identifier": {
            "@type": "PropertyValue",
            "name": organisation.name,
            "value": vacancy.reference or str(vacancy.pk),
        },
        "directApply": True,
        "occupationalCategory": vacancy.staff_group.name,
    }
    salary = _salary(vacancy)
    if salary:
        posting["baseSalary"] = salary
    if organisation.description.strip():
        posting["employerOverview"] = organisation.description.strip()
    if vacancy.entry_level:
        posting["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": 0,
        }
    return posting


def jsonld_script(data: dict) -> SafeString:
    """`<script type="application/ld+json">` holding the data, with <, > and & escaped
    as `json_script` escapes them so that no text can close the element."""
    payload = json.dumps(data, ensure_ascii=False, indent=None).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')
