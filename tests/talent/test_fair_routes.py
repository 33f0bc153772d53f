"""Fair routes in: a vacancy names the routes it guarantees an interview to and may
anonymise shortlisting; the candidate says whether they come through one; the same
person applying twice (same name and phone under two accounts) is flagged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from talent.models import Application, FairRoute, StaffGroup, Vacancy
from talent.selectors.pipeline import is_likely_duplicate, pipeline_applications
from talent.services.applications import application_duplicate_key
from tests.factories import ApplicationFactory, UserFactory, VacancyFactory


def _vacancy_form(**overrides):
    data = {
        "title": "Healthcare assistant",
        "staff_group": StaffGroup.objects.get(slug="additional-clinical-services").pk,
        "contract_type": "permanent",
        "summary": "Care for patients on a busy ward.",
        "description": "You will support registered nurses with personal care.",
        "band": "3",
        "salary_period": "year",
        "working_patterns": ["full_time"],
        "postcode": "LS9 7TF",
        "closing_date": (timezone.localdate() + timedelta(days=21)).isoformat(),
        "application_alerts": "none",
    }
    data.update(overrides)
    return data


def _apply(vacancy, **overrides):
    data = {
        "action": "submit",
        "full_name": "Amira Patel",
        "phone": "07700 900982",
        "postcode": "LS12 3AB",
        "right_to_work": "yes",
        "supporting_statement": "I cared for my grandmother for three years.",
        "source": "job_search",
    }
    data.update(overrides)
    return data


# --- The vacancy ---------------------------------------------------------------------------


def test_staff_set_guaranteed_routes_and_anonymised_shortlisting_on_a_vacancy(
    client_as, org_a, staff_a
):
    client = client_as(staff_a)
    url = reverse("vacancies:vacancy_create", kwargs={"org_slug": org_a.slug})
    form = client.get(url).text
    assert "Anonymised shortlisting" in form
    assert "Care leaver" in form and "Armed forces" in form
    response = client.post(
        url,
        _vacancy_form(
            anonymised_shortlisting="on",
            guaranteed_interview_routes=["care_leaver", "armed_forces"],
        ),
    )
    assert response.status_code == 302
    vacancy = Vacancy.objects.get()
    assert vacancy.anonymised_shortlisting is True
    assert vacancy.guaranteed_interview_routes == ["care_leaver", "armed_forces"]

    edit = reverse("vacancies:vacancy_edit", kwargs={"org_slug": org_a.slug, "pk": vacancy.pk})
    response = client.post(edit, _vacancy_form())
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.anonymised_shortlisting is False
    assert vacancy.guaranteed_interview_routes == []


def test_an_unknown_route_is_refused(client_as, org_a, staff_a):
    url = reverse("vacancies:vacancy_create", kwargs={"org_slug": org_a.slug})
    response = client_as(staff_a).post(
        url, _vacancy_form(guaranteed_interview_routes=["friends_of_the_boss"])
    )
    assert response.status_code == 200
    assert "Choose routes from the list" in response.text
    assert not Vacancy.objects.exists()


def test_a_copied_vacancy_keeps_its_fair_recruitment_settings(client_as, org_a, staff_a):
    vacancy = VacancyFactory(
        organisation=org_a,
        anonymised_shortlisting=True,
        guaranteed_interview_routes=[FairRoute.REDEPLOYMENT],
    )
    url = reverse("vacancies:vacancy_duplicate", kwargs={"org_slug": org_a.slug, "pk": vacancy.pk})
    client_as(staff_a).post(url)
    copy = Vacancy.objects.exclude(pk=vacancy.pk).get()
    assert copy.anonymised_shortlisting is True
    assert copy.guaranteed_interview_routes == ["redeployment"]


# --- Applying ------------------------------------------------------------------------------


@pytest.fixture
def vacancy(org_a):
    return VacancyFactory(
        organisation=org_a,
        title="Porter",
        guaranteed_interview_routes=[FairRoute.CARE_LEAVER],
    )


def test_the_application_asks_about_routes_and_names_the_guaranteed_ones(client_as, vacancy):
    text = client_as(UserFactory()).get(reverse("candidate:apply", kwargs={"pk": vacancy.pk})).text
    assert "Are you applying through one of these routes?" in text
    assert "guarantees an interview for this job" in text and "care leaver" in text
    assert "No, none of these" in text


@pytest.mark.parametrize(("answer", "stored"), [("care_leaver", "care_leaver"), ("none", "")])
def test_the_candidates_route_is_kept_on_the_application(client_as, vacancy, answer, stored):
    candidate = UserFactory()
    url = reverse("candidate:apply", kwargs={"pk": vacancy.pk})
    response = client_as(candidate).post(url, _apply(vacancy, fair_route=answer))
    assert response.status_code == 302
    application = Application.objects.get(candidate=candidate)
    assert application.fair_route == stored
    assert application.stage == "submitted"


def test_the_route_question_is_optional(client_as, vacancy):
    candidate = UserFactory()
    url = reverse("candidate:apply", kwargs={"pk": vacancy.pk})
    assert client_as(candidate).post(url, _apply(vacancy)).status_code == 302
    assert Application.objects.get(candidate=candidate).fair_route == ""


def test_a_made_up_route_is_refused(client_as, vacancy):
    url = reverse("candidate:apply", kwargs={"pk": vacancy.pk})
    response = client_as(UserFactory()).post(url, _apply(vacancy, fair_route="vip"))
    assert response.status_code == 200
    assert "Select a route from the list, or none of these" in response.text


def test_a_saved_draft_remembers_the_route(client_as, vacancy):
    candidate = UserFactory()
    url = reverse("candidate:apply", kwargs={"pk": vacancy.pk})
    client = client_as(candidate)
    client.post(url, {"action": "save", "fair_route": "care_leaver"})
    assert Application.objects.get(candidate=candidate).fair_route == "care_leaver"
    text = client.get(url).text
    assert 'value="care_leaver" class="nhsuk-radios__input" id="id_fair_route_2" checked' in text


# --- Likely duplicates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "phone", "key"),
    [
        ("Amira  Patel", "07700 900982", "amira patel|07700900982"),
        (" AMIRA patel ", "(07700) 900-982", "amira patel|07700900982"),
        ("Amira Patel", "+44 7700 900982", "amira patel|07700900982"),
        ("Amira Patel", "0044 7700 900982", "amira patel|07700900982"),
        ("Amira Patel", "", ""),
        ("", "07700 900982", ""),
    ],
)
def test_the_duplicate_key_is_the_normalised_name_and_phone(name, phone, key):
    assert application_duplicate_key(name, phone) == key


def test_two_accounts_with_the_same_name_and_phone_are_flagged_as_likely_duplicates(
    client_as, vacancy
):
    url = reverse("candidate:apply", kwargs={"pk": vacancy.pk})
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    client_as(first).post(url, _apply(vacancy, full_name="Amira Patel", phone="07700 900982"))
    client_as(second).post(url, _apply(vacancy, full_name="amira  PATEL", phone="+44 7700 900 982"))
    client_as(third).post(url, _apply(vacancy, full_name="Amira Patel", phone="07700 900111"))
    flags = {
        application.candidate_id: application.likely_duplicate
        for application in pipeline_applications(vacancy)
    }
    assert flags == {first.pk: True, second.pk: True, third.pk: False}
    for application in Application.objects.all():
        assert is_likely_duplicate(application) is flags[application.candidate_id]


def test_the_same_person_applying_to_two_vacancies_is_not_a_duplicate(org_a, vacancy):
    other = VacancyFactory(organisation=org_a, title="Domestic assistant")
    ApplicationFactory(vacancy=vacancy, duplicate_key="amira patel|07700900982")
    ApplicationFactory(vacancy=other, duplicate_key="amira patel|07700900982")
    assert [a.likely_duplicate for a in pipeline_applications(vacancy)] == [False]
    assert [a.likely_duplicate for a in pipeline_applications(other)] == [False]


def test_a_draft_does_not_make_a_duplicate(vacancy):
    ApplicationFactory(vacancy=vacancy, duplicate_key="amira patel|07700900982")
    ApplicationFactory(vacancy=vacancy, stage="draft", duplicate_key="amira patel|07700900982")
    assert [a.likely_duplicate for a in pipeline_applications(vacancy)] == [False]


def test_applications_without_a_key_are_never_duplicates_of_each_other(vacancy):
    ApplicationFactory(vacancy=vacancy, duplicate_key="")
    ApplicationFactory(vacancy=vacancy, duplicate_key="")
    assert [a.likely_duplicate for a in pipeline_applications(vacancy)] == [False, False]
