"""HR staff's vacancy pages: an admin of organisation A, A's HR staff, an outreach worker
of A (no vacancy role) and a member of organisation B."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hub.models import AuditEvent, Membership
from talent.models import StaffGroup, Vacancy
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    ScreeningQuestionFactory,
    VacancyFactory,
)

Status = Vacancy.Status


@pytest.fixture
def outreach_a(org_a):
    return MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user


def _url(name, org, **kwargs):
    return reverse(f"vacancies:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _form_data(**overrides):
    data = {
        "title": "Healthcare assistant",
        "reference": "LTH-0001",
        "staff_group": StaffGroup.objects.get(slug="additional-clinical-services").pk,
        "contract_type": "permanent",
        "summary": "Care for patients on a busy ward as part of a friendly team.",
        "description": "You will support registered nurses with personal care.",
        "essential_criteria": "Kindness.",
        "band": "3",
        "pay_scale": "",
        "salary_min": "£24,071",
        "salary_max": "25674",
        "salary_period": "year",
        "hours_per_week": "37.5",
        "working_patterns": ["full_time", "nights"],
        "site": "St James's University Hospital",
        "postcode": "ls9 7tf",
        "closing_date": (timezone.localdate() + timedelta(days=21)).isoformat(),
        "entry_level": "on",
        "trial_shift_available": "on",
        "questions": "Why do you want this job?\n\n  What shifts can you work?  \n",
        "contact": "",
        "application_alerts": "immediately",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- The list ---------------------------------------------------------------------------


def test_staff_see_their_organisations_vacancies_and_not_anyone_elses(
    client_as, org_a, org_b, staff_a
):
    VacancyFactory(organisation=org_a, title="Ward clerk")
    VacancyFactory(organisation=org_b, title="Social worker")
    response = client_as(staff_a).get(_url("vacancy_list", org_a))
    assert response.status_code == 200
    assert "Ward clerk" in response.text
    assert "Social worker" not in response.text


def test_the_list_counts_vacancies_by_status_and_submitted_applications(client_as, org_a, admin_a):
    live = VacancyFactory(organisation=org_a, title="Porter")
    ApplicationFactory.create_batch(2, vacancy=live)
    ApplicationFactory(vacancy=live, stage="draft")
    VacancyFactory(organisation=org_a, status=Status.DRAFT, title="Domestic assistant")
    response = client_as(admin_a).get(_url("vacancy_list", org_a))
    assert "All vacancies (2)" in response.text
    assert "Draft (1)" in response.text
    assert "Published (1)" in response.text
    assert "Closed (0)" in response.text
    row = response.text.split("Porter</a>", 1)[1].split("</tr>", 1)[0]
    assert ">2<span" in row  # two submitted applications; the draft is not counted


def test_the_list_filters_by_status_and_searches_titles(client_as, org_a, staff_a):
    VacancyFactory(organisation=org_a, title="Porter")
    VacancyFactory(organisation=org_a, title="Night porter", status=Status.DRAFT)
    VacancyFactory(organisation=org_a, title="Receptionist", reference="GP-77")
    client = client_as(staff_a)
    drafts = client.get(_url("vacancy_list", org_a), {"status": "draft"}).text
    assert "Night porter" in drafts and "Receptionist" not in drafts
    search = client.get(_url("vacancy_list", org_a), {"q": "porter"}).text
    assert "Night porter" in search and ">Porter<" in search and "Receptionist" not in search
    by_reference = client.get(_url("vacancy_list", org_a), {"q": "gp-77"}).text
    assert "Receptionist" in by_reference and "Porter" not in by_reference
    nonsense = client.get(_url("vacancy_list", org_a), {"status": "nonsense", "page": "x"})
    assert nonsense.status_code == 200


@pytest.mark.parametrize("how_many", [2, 20])
def test_the_list_runs_a_fixed_number_of_queries(
    client_as, org_a, staff_a, how_many, django_assert_max_num_queries
):
    for vacancy in VacancyFactory.create_batch(how_many, organisation=org_a):
        ApplicationFactory(vacancy=vacancy)
    client = client_as(staff_a)
    with django_assert_max_num_queries(11):
        response = client.get(_url("vacancy_list", org_a))
    assert f"All vacancies ({how_many})" in response.text
    assert response.text.count('<tr class="nhsuk-table__row"') == how_many + 1


def test_outreach_workers_cannot_manage_vacancies(client_as, org_a, outreach_a):
    vacancy = VacancyFactory(organisation=org_a)
    client = client_as(outreach_a)
    assert client.get(_url("vacancy_list", org_a)).status_code == 403
    assert client.get(_url("vacancy_detail", org_a, pk=vacancy.pk)).status_code == 403
    assert client.post(_url("vacancy_close", org_a, pk=vacancy.pk)).status_code == 403
    vacancy.refresh_from_db()
    assert vacancy.status == Status.PUBLISHED


def test_a_member_of_another_organisation_gets_404_for_the_list_and_a_vacancy(
    client_as, org_a, member_b
):
    vacancy = VacancyFactory(organisation=org_a)
    client = client_as(member_b)
    assert client.get(_url("vacancy_list", org_a)).status_code == 404
    assert client.get(_url("vacancy_detail", org_a, pk=vacancy.pk)).status_code == 404


# --- Creating and editing -----------------------------------------------------------------


def test_staff_create_a_draft_vacancy_from_the_form(client_as, org_a, staff_a):
    response = client_as(staff_a).post(
        _url("vacancy_create", org_a), _form_data(contact=staff_a.pk)
    )
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert response.url == _url("vacancy_detail", org_a, pk=vacancy.pk)
    assert vacancy.organisation == org_a and vacancy.status == Status.DRAFT
    assert (vacancy.postcode, vacancy.postcode_district) == ("LS9 7TF", "LS9")
    assert str(vacancy.salary_min) == "24071.00"
    assert vacancy.working_patterns == ["full_time", "nights"]
    assert vacancy.entry_level and vacancy.trial_shift_available and not vacancy.apprenticeship
    assert vacancy.contact == staff_a
    assert [q.text for q in vacancy.questions.all()] == [
        "Why do you want this job?",
        "What shifts can you work?",
    ]
    assert AuditEvent.objects.filter(action="vacancy.created", actor=staff_a).exists()


def test_the_form_offers_only_members_of_the_organisation_as_contact(
    client_as, org_a, staff_a, admin_a, member_b
):
    page = client_as(staff_a).get(_url("vacancy_create", org_a)).text
    assert admin_a.email in page
    assert member_b.email not in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": ""}, "Enter a job title"),
        ({"title": "x" * 201}, "Job title must be 200 characters or fewer"),
        ({"staff_group": ""}, "Choose a staff group"),
        ({"staff_group": "999999"}, "Choose a staff group from the list"),
        ({"contract_type": None}, "Choose a contract type"),
        ({"working_patterns": None}, "Choose at least one working pattern"),
        ({"working_patterns": ["sometimes"]}, "Choose working patterns from the list"),
        ({"band": "", "pay_scale": ""}, "Choose an Agenda for Change band, or enter a pay scale"),
        ({"band": "3", "pay_scale": "Grade C"}, "Leave the pay scale empty"),
        ({"band": "12"}, "Choose a band from the list"),
        ({"salary_min": "lots"}, "Enter the minimum salary as an amount"),
        ({"salary_min": "-5"}, "The minimum salary must be 0 or more"),
        ({"salary_max": "20000"}, "The maximum salary must be the same as or more than the min"),
        ({"hours_per_week": "0"}, "Hours per week must be between 1 and 48"),
        ({"hours_per_week": "60"}, "Hours per week must be between 1 and 48"),
        ({"hours_per_week": "many"}, "Enter hours per week as a number"),
        ({"postcode": ""}, "Enter the postcode of the place of work"),
        ({"postcode": "Leeds"}, "Enter a real postcode, like LS9 7TF"),
        ({"closing_date": ""}, "Enter a closing date"),
        ({"closing_date": "31/02/2030"}, "Enter a real closing date"),
        ({"closing_date": "2020-01-01"}, "The closing date must be today or in the future"),
        ({"summary": ""}, "Enter a summary of the job"),
        ({"summary": "x" * 301}, "Summary must be 300 characters or fewer"),
        ({"description": ""}, "Enter a description of the job"),
        ({"questions": "\n".join(f"Q{n}?" for n in range(11))}, "Enter 10 questions or fewer"),
        ({"questions": "Fine?\n" + "x" * 501}, "Question 2 must be 500 characters or fewer"),
        ({"contact": "999999"}, "Choose a contact from the list"),
        ({"application_alerts": "hourly"}, "Choose how the contact hears about new applications"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(
    client_as, org_a, staff_a, overrides, message
):
    response = client_as(staff_a).post(_url("vacancy_create", org_a), _form_data(**overrides))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert response.text.startswith("<!DOCTYPE html>")
    assert not Vacancy.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_contact_from_another_organisation_is_refused(client_as, org_a, staff_a, member_b):
    response = client_as(staff_a).post(
        _url("vacancy_create", org_a), _form_data(contact=member_b.pk)
    )
    assert "Choose a contact from the list" in response.text
    assert not Vacancy.objects.exists()


def test_the_edit_form_is_filled_in_and_saves_changes(client_as, org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a, status=Status.DRAFT, title="Porter")
    ScreeningQuestionFactory(vacancy=vacancy, text="Can you lift heavy things?")
    client = client_as(staff_a)
    page = client.get(_url("vacancy_edit", org_a, pk=vacancy.pk)).text
    assert 'value="Porter"' in page and "Can you lift heavy things?" in page
    response = client.post(
        _url("vacancy_edit", org_a, pk=vacancy.pk),
        _form_data(title="Head porter", questions="Can you lift heavy things?\nNights OK?"),
    )
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.slug) == ("Head porter", "head-porter")
    assert vacancy.questions.count() == 2
    event = AuditEvent.objects.get(action="vacancy.updated")
    assert "title" in event.data["fields"] and "questions" in event.data["fields"]


def test_a_bad_edit_changes_nothing(client_as, org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a, title="Porter")
    response = client_as(staff_a).post(
        _url("vacancy_edit", org_a, pk=vacancy.pk), _form_data(title="", hours_per_week="99")
    )
    assert response.status_code == 200
    assert "Enter a job title" in response.text
    vacancy.refresh_from_db()
    assert vacancy.title == "Porter"
    # The page's header still shows the saved title, not what was typed.
    assert "Porter" in response.text


def test_a_live_vacancy_keeps_a_past_closing_date_it_already_had_when_edited(
    client_as, org_a, staff_a
):
    past = timezone.localdate() - timedelta(days=2)
    vacancy = VacancyFactory(organisation=org_a, closing_date=past)
    response = client_as(staff_a).post(
        _url("vacancy_edit", org_a, pk=vacancy.pk),
        _form_data(closing_date=past.isoformat(), title="Renamed"),
    )
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Renamed"


@pytest.mark.parametrize("status", [Status.CLOSED, Status.FILLED])
def test_closed_and_filled_vacancies_cannot_be_edited(client_as, org_a, staff_a, status):
    vacancy = VacancyFactory(organisation=org_a, status=status, title="Porter")
    client = client_as(staff_a)
    response = client.post(_url("vacancy_edit", org_a, pk=vacancy.pk), _form_data(), follow=True)
    assert "You cannot edit this vacancy" in response.text
    vacancy.refresh_from_db()
    assert vacancy.title == "Porter"


# --- The vacancy's page and its actions ---------------------------------------------------


def test_the_vacancy_page_shows_its_state_actions_and_a_preview(client_as, org_a, staff_a):
    vacancy = VacancyFactory(
        organisation=org_a,
        status=Status.DRAFT,
        title="Pharmacy technician",
        description="Dispense medicines on the wards.",
    )
    ScreeningQuestionFactory(vacancy=vacancy, text="Are you registered with the GPhC?")
    response = client_as(staff_a).get(_url("vacancy_detail", org_a, pk=vacancy.pk))
    text = response.text
    assert response.status_code == 200
    assert "Draft" in text
    assert ">Publish<" in text and ">Edit<" in text and "Copy as a new draft" in text
    assert "Close early" not in text
    assert "Are you registered with the GPhC?" in text
    assert "Preview: what candidates see" in text
    assert "Dispense medicines on the wards." in text


def test_publishing_from_the_page_puts_the_vacancy_live(client_as, org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a, status=Status.DRAFT, published_at=None)
    response = client_as(staff_a).post(_url("vacancy_publish", org_a, pk=vacancy.pk), follow=True)
    assert "is published" in response.text
    vacancy.refresh_from_db()
    assert vacancy.status == Status.PUBLISHED


def test_staff_send_for_approval_when_the_organisation_requires_it(
    client_as, org_a, staff_a, admin_a, django_capture_on_commit_callbacks
):
    org_a.vacancies_need_approval = True
    org_a.save()
    vacancy = VacancyFactory(organisation=org_a, status=Status.DRAFT, created_by=staff_a)
    client = client_as(staff_a)
    page = client.get(_url("vacancy_detail", org_a, pk=vacancy.pk)).text
    assert "Send for approval" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("vacancy_publish", org_a, pk=vacancy.pk), follow=True)
    assert "was sent for approval" in response.text
    assert "waiting for an admin" in response.text
    assert "Approve and publish" not in response.text
    vacancy.refresh_from_db()
    assert vacancy.status == Status.AWAITING_APPROVAL
    assert [m.to for m in mail.outbox] == [[admin_a.email]]


def test_publishing_with_a_past_closing_date_says_what_to_fix(client_as, org_a, staff_a):
    vacancy = VacancyFactory(
        organisation=org_a,
        status=Status.DRAFT,
        closing_date=timezone.localdate() - timedelta(days=1),
    )
    response = client_as(staff_a).post(_url("vacancy_publish", org_a, pk=vacancy.pk), follow=True)
    assert response.status_code == 200
    assert "Edit the vacancy before you publish it" in response.text
    assert "closing date must be today or in the future" in response.text
    vacancy.refresh_from_db()
    assert vacancy.status == Status.DRAFT


def test_a_move_the_vacancy_does_not_allow_is_refused_with_a_message(client_as, org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a, status=Status.FILLED)
    response = client_as(staff_a).post(_url("vacancy_publish", org_a, pk=vacancy.pk), follow=True)
    assert "You cannot publish this vacancy because it is filled" in response.text
    vacancy.refresh_from_db()
    assert vacancy.status == Status.FILLED


@pytest.fixture
def awaiting(org_a, staff_a):
    return VacancyFactory(
        organisation=org_a,
        status=Status.AWAITING_APPROVAL,
        created_by=staff_a,
        published_at=None,
    )


def test_an_admin_approves_from_the_vacancy_page(
    client_as, org_a, admin_a, staff_a, awaiting, django_capture_on_commit_callbacks
):
    client = client_as(admin_a)
    assert "Approve and publish" in client.get(_url("vacancy_detail", org_a, pk=awaiting.pk)).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("vacancy_approve", org_a, pk=awaiting.pk), follow=True)
    assert "is approved and published" in response.text
    awaiting.refresh_from_db()
    assert awaiting.status == Status.PUBLISHED
    assert [m.to for m in mail.outbox] == [[staff_a.email]]


def test_staff_cannot_approve_or_return_to_draft(client_as, org_a, staff_a, awaiting):
    client = client_as(staff_a)
    assert client.post(_url("vacancy_approve", org_a, pk=awaiting.pk)).status_code == 403
    assert client.get(_url("vacancy_return_to_draft", org_a, pk=awaiting.pk)).status_code == 403
    response = client.post(_url("vacancy_return_to_draft", org_a, pk=awaiting.pk), {"reason": "x"})
    assert response.status_code == 403
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APPROVAL


def test_an_admin_returns_a_vacancy_to_draft_giving_a_reason(
    client_as, org_a, admin_a, staff_a, awaiting, django_capture_on_commit_callbacks
):
    client = client_as(admin_a)
    url = _url("vacancy_return_to_draft", org_a, pk=awaiting.pk)
    assert "Why are you returning the vacancy?" in client.get(url).text
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 200
    assert "There is a problem" in empty.text
    assert "Enter the reason for returning the vacancy" in empty.text
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APPROVAL
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Please add the salary."})
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == Status.DRAFT
    assert "Please add the salary." in mail.outbox[0].body


def test_closing_asks_for_confirmation_first(client_as, org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a, title="Porter")
    client = client_as(staff_a)
    page = client.get(_url("vacancy_close", org_a, pk=vacancy.pk))
    assert page.status_code == 200
    assert "Yes, close the vacancy" in page.text
    vacancy.refresh_from_db()
    assert vacancy.status == Status.PUBLISHED
    response = client.post(_url("vacancy_close", org_a, pk=vacancy.pk), follow=True)
    assert "Porter is closed" in response.text
    vacancy.refresh_from_db()
    assert vacancy.status == Status.CLOSED


def test_the_confirmation_page_explains_when_the_move_is_not_possible(client_as, org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a, status=Status.DRAFT)
    page = client_as(staff_a).get(_url("vacancy_close", org_a, pk=vacancy.pk)).text
    assert "You cannot close this vacancy because it is draft" in page
    assert "Yes, close the vacancy" not in page


def test_marking_filled_asks_for_confirmation_first(client_as, org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a, status=Status.CLOSED)
    client = client_as(staff_a)
    assert (
        "Yes, mark as filled" in client.get(_url("vacancy_mark_filled", org_a, pk=vacancy.pk)).text
    )
    vacancy.refresh_from_db()
    assert vacancy.status == Status.CLOSED
    client.post(_url("vacancy_mark_filled", org_a, pk=vacancy.pk))
    vacancy.refresh_from_db()
    assert vacancy.status == Status.FILLED


def test_copying_opens_the_new_draft_for_editing(client_as, org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a, title="Porter", reference="P-1")
    response = client_as(staff_a).post(_url("vacancy_duplicate", org_a, pk=vacancy.pk))
    copy = Vacancy.objects.exclude(pk=vacancy.pk).get()
    assert response.url == _url("vacancy_edit", org_a, pk=copy.pk)
    assert (copy.title, copy.status, copy.reference) == ("Porter (copy)", Status.DRAFT, "")


def test_actions_on_another_organisations_vacancy_are_404_and_change_nothing(
    client_as, org_a, org_b, member_b
):
    vacancy = VacancyFactory(organisation=org_a)
    client = client_as(member_b)
    for name in ("vacancy_close", "vacancy_mark_filled", "vacancy_duplicate", "vacancy_publish"):
        # B's own slug with A's vacancy id, and A's slug: both 404.
        assert client.post(_url(name, org_b, pk=vacancy.pk)).status_code == 404
        assert client.post(_url(name, org_a, pk=vacancy.pk)).status_code == 404
    vacancy.refresh_from_db()
    assert vacancy.status == Status.PUBLISHED
    assert Vacancy.objects.count() == 1


def test_the_organisation_dashboard_links_to_the_vacancies_for_hr_staff_only(
    client_as, org_a, staff_a, outreach_a
):
    dashboard = reverse("hub:organisation_dashboard", args=[org_a.slug])
    assert _url("vacancy_list", org_a) in client_as(staff_a).get(dashboard).text
    assert _url("vacancy_list", org_a) not in client_as(outreach_a).get(dashboard).text


def test_the_error_summary_lists_the_problems_in_the_order_of_the_page(client_as, org_a, staff_a):
    text = client_as(staff_a).post(_url("vacancy_create", org_a), {}).text
    summary = text.split("There is a problem", 1)[1].split("</ul>", 1)[0]
    order = [
        "Enter a job title",
        "Choose a staff group",
        "Choose a contract type",
        "Choose an Agenda for Change band, or enter a pay scale",
        "Choose at least one working pattern",
        "Enter the postcode of the place of work",
        "Enter a summary of the job",
        "Enter a description of the job",
        "Enter a closing date",
    ]
    assert [summary.index(message) for message in order] == sorted(
        summary.index(message) for message in order
    )
    assert 'href="#id_title"' in summary and 'href="#id_contract_type_0"' in summary
