"""The secondment pages: the three personas (an admin of A, A's HR staff, a member of
B), forms that say what is wrong and change nothing, POSTs refused for a business reason
going back with a message, the named approvers, a person's own page, and a fixed number
of queries on the overview and the opportunity list."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from talent.models import (
    SecondmentAgreement,
    SecondmentApprover,
    SecondmentInterest,
    SecondmentOpportunity,
)
from tests.factories import MembershipFactory, OrganisationFactory
from tests.talent.mobility_builders import (
    make_agreement,
    make_interest,
    make_opportunity,
    nursing,
)

Status = SecondmentAgreement.Status
InterestStatus = SecondmentInterest.Status


@pytest.fixture
def host(db):
    return OrganisationFactory(name="Leeds Community Healthcare NHS Trust", slug="lch")


@pytest.fixture
def host_admin(host):
    return MembershipFactory(organisation=host, role="admin").user


def _url(name, org, **kwargs):
    return reverse(f"secondments:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _text(response) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


def _errors(response) -> list[str]:
    summary = re.search(
        r'<div class="nhsuk-error-summary".*?</ul>', response.content.decode(), re.S
    )
    assert summary, "no error summary on the page"
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    ]


# --- The three personas -------------------------------------------------------------------


def test_the_overview_is_for_hr_staff_of_the_organisation(
    client_as, org_a, admin_a, staff_a, member_b
):
    outreach = MembershipFactory(organisation=org_a, role="outreach").user
    url = _url("overview", org_a)
    assert client_as(admin_a).get(url).status_code == 200
    assert client_as(staff_a).get(url).status_code == 200
    assert client_as(outreach).get(url).status_code == 403
    assert client_as(member_b).get(url).status_code == 404


def test_any_member_may_see_the_opportunities_and_express_interest(
    client_as, org_a, host, member_b, django_capture_on_commit_callbacks
):
    outreach = MembershipFactory(organisation=org_a, role="outreach").user
    opportunity = make_opportunity(host, title="Discharge coordinator")
    client = client_as(outreach)
    assert "Discharge coordinator" in _text(client.get(_url("opportunity_list", org_a)))
    url = _url("interest_express", org_a, open_opportunity_id=opportunity.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"statement": "I want to learn discharge planning."})
    assert response.status_code == 302
    assert response.url == reverse("my_secondments:list")
    interest = SecondmentInterest.objects.get()
    assert (interest.person, interest.home, interest.status) == (
        outreach,
        org_a,
        InterestStatus.EXPRESSED,
    )
    assert client_as(member_b).get(url).status_code == 404


def test_an_empty_statement_is_refused_and_nothing_is_saved(client_as, org_a, staff_a, host):
    opportunity = make_opportunity(host)
    response = client_as(staff_a).post(
        _url("interest_express", org_a, open_opportunity_id=opportunity.pk), {"statement": " "}
    )
    assert response.status_code == 200
    assert _errors(response) == ["Say why you are interested"]
    assert not SecondmentInterest.objects.exists()


def test_the_host_cannot_express_interest_in_its_own_opportunity(client_as, org_a, staff_a):
    opportunity = make_opportunity(org_a)
    url = _url("interest_express", org_a, open_opportunity_id=opportunity.pk)
    response = client_as(staff_a).get(url)
    assert "your own organisation's opportunity" in _text(response)
    client_as(staff_a).post(url, {"statement": "Me too"})
    assert not SecondmentInterest.objects.exists()


# --- Opportunities ------------------------------------------------------------------------


def _opportunity_data(**changes):
    today = timezone.localdate()
    return {
        "title": "Clinical nurse specialist",
        "staff_group": nursing().pk,
        "band": "7",
        "description": "Help lead the frailty virtual ward.",
        "starts_on": (today + datetime.timedelta(days=60)).isoformat(),
        "duration_months": "12",
        "closing_date": (today + datetime.timedelta(days=21)).isoformat(),
        "open_to": "all",
        "arrangement": "secondment",
        "recharge": "100% of salary and on-costs",
        "backfill": "",
        "contact": "",
        **changes,
    }


def test_hr_staff_post_an_opportunity_for_chosen_partners_and_publish_it(
    client_as, org_a, staff_a, org_b
):
    client = client_as(staff_a)
    response = client.post(
        _url("opportunity_create", org_a),
        _opportunity_data(open_to="chosen", eligible_organisations=[org_b.pk]),
    )
    opportunity = SecondmentOpportunity.objects.get()
    assert response.url == _url("opportunity_detail", org_a, opportunity_id=opportunity.pk)
    assert opportunity.status == SecondmentOpportunity.Status.DRAFT
    assert not opportunity.open_to_all
    assert list(opportunity.eligible_organisations.all()) == [org_b]
    response = client.post(
        _url("opportunity_publish", org_a, opportunity_id=opportunity.pk), follow=True
    )
    assert "Published" in _text(response)
    opportunity.refresh_from_db()
    assert opportunity.status == SecondmentOpportunity.Status.OPEN


def test_a_bad_opportunity_shows_every_problem_and_saves_nothing(client_as, org_a, staff_a):
    today = timezone.localdate()
    response = client_as(staff_a).post(
        _url("opportunity_create", org_a),
        _opportunity_data(
            open_to="chosen",
            recharge="",
            closing_date=(today + datetime.timedelta(days=90)).isoformat(),
            duration_months="0",
        ),
    )
    assert response.status_code == 200
    assert _errors(response) == ["The duration must be at least 1 month"]
    response = client_as(staff_a).post(
        _url("opportunity_create", org_a),
        _opportunity_data(
            open_to="chosen",
            recharge="",
            closing_date=(today + datetime.timedelta(days=90)).isoformat(),
        ),
    )
    assert sorted(_errors(response)) == [
        "Choose the partners whose staff may apply",
        "Enter what the host repays the home organisation",
        "The closing date must be on or before the start date",
    ]
    assert not SecondmentOpportunity.objects.exists()


def test_closing_a_draft_is_refused_with_a_message(client_as, org_a, staff_a):
    opportunity = make_opportunity(org_a, status=SecondmentOpportunity.Status.DRAFT)
    response = client_as(staff_a).post(
        _url("opportunity_close", org_a, opportunity_id=opportunity.pk), follow=True
    )
    assert "only an open one can be closed" in _text(response)
    opportunity.refresh_from_db()
    assert opportunity.status == SecondmentOpportunity.Status.DRAFT


def test_the_host_sees_each_interest_and_selects_a_released_one(
    client_as, org_a, staff_a, host, admin_a
):
    opportunity = make_opportunity(org_a)
    waiting = make_interest(opportunity, host)
    released = make_interest(opportunity, host, status=InterestStatus.RELEASED)
    client = client_as(staff_a)
    page = client.get(_url("opportunity_detail", org_a, opportunity_id=opportunity.pk))
    text = _text(page)
    assert waiting.person.name in text and released.person.name in text
    assert f"Waiting for {host.name}" in text
    assert text.count("Select ") == 1
    response = client.post(_url("interest_select", org_a, received_interest_id=released.pk))
    agreement = SecondmentAgreement.objects.get()
    assert response.url == _url("agreement_detail", org_a, agreement_id=agreement.pk)
    response = client.post(_url("interest_select", org_a, received_interest_id=waiting.pk))
    assert response.status_code == 302
    assert SecondmentAgreement.objects.count() == 1


# --- Release ------------------------------------------------------------------------------


def test_a_named_approver_releases_and_other_staff_get_403(
    client_as, org_a, admin_a, staff_a, host
):
    interest = make_interest(make_opportunity(host), org_a)
    url = _url("interest_release", org_a, interest_id=interest.pk)
    assert client_as(staff_a).get(url).status_code == 403
    approver = MembershipFactory(organisation=org_a, role="outreach").user
    SecondmentApprover.objects.create(organisation=org_a, user=approver, named_by=admin_a)
    client = client_as(approver)
    response = client.post(url, {"decision": "refuse", "reason": ""})
    assert _errors(response) == ["Say why you are not releasing them"]
    client.post(url, {"decision": "refuse", "reason": "Winter pressures on the ward"})
    interest.refresh_from_db()
    assert interest.status == InterestStatus.NOT_RELEASED
    assert interest.home_reason == "Winter pressures on the ward"


# --- Agreements ---------------------------------------------------------------------------


def test_the_home_admin_approves_and_states_the_right_to_return(client_as, org_a, admin_a, host):
    agreement = make_agreement(org_a, host)
    client = client_as(admin_a)
    page = client.get(_url("agreement_detail", org_a, agreement_id=agreement.pk))
    assert "Does the person have the right to return to their post?" in _text(page)
    client.post(
        _url("agreement_approve", org_a, agreement_id=agreement.pk),
        {"right_to_return": "yes", "return_terms": "Her post on ward 12"},
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.HOME_APPROVED
    assert agreement.return_terms == "Her post on ward 12"


def test_the_host_approving_first_goes_back_with_a_message(client_as, org_a, admin_a, host):
    agreement = make_agreement(host, org_a)
    response = client_as(admin_a).post(
        _url("agreement_approve", org_a, agreement_id=agreement.pk), follow=True
    )
    assert f"{host.name} approves first" in _text(response)
    agreement.refresh_from_db()
    assert agreement.status == Status.PROPOSED


def test_hr_staff_cannot_approve(client_as, org_a, staff_a, host):
    agreement = make_agreement(org_a, host)
    response = client_as(staff_a).post(
        _url("agreement_approve", org_a, agreement_id=agreement.pk), {"right_to_return": "yes"}
    )
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == Status.PROPOSED


def test_the_home_cannot_start_a_secondment(client_as, org_a, staff_a, host):
    agreement = make_agreement(
        org_a, host, status=Status.HOST_APPROVED, starts_on=timezone.localdate()
    )
    response = client_as(staff_a).post(
        _url("agreement_activate", org_a, agreement_id=agreement.pk), follow=True
    )
    assert "Only the host organisation can start the secondment" in _text(response)
    agreement.refresh_from_db()
    assert agreement.status == Status.HOST_APPROVED


def test_the_host_starts_it_and_both_sides_see_it_active(
    client_as, org_a, staff_a, host, host_admin
):
    agreement = make_agreement(
        host, org_a, status=Status.HOST_APPROVED, starts_on=timezone.localdate()
    )
    client = client_as(staff_a)
    page = client.get(_url("agreement_detail", org_a, agreement_id=agreement.pk))
    assert "Start the secondment" in _text(page)
    client.post(_url("agreement_activate", org_a, agreement_id=agreement.pk))
    home_page = client_as(host_admin).get(_url("agreement_detail", host, agreement_id=agreement.pk))
    assert "The secondment is running until" in _text(home_page)
    assert "Start the secondment" not in _text(home_page)


def test_an_extension_to_an_earlier_date_is_shown_and_nothing_changes(
    client_as, org_a, staff_a, host
):
    agreement = make_agreement(org_a, host, status=Status.ACTIVE)
    url = _url("agreement_extend", org_a, agreement_id=agreement.pk)
    response = client_as(staff_a).post(url, {"ends_on": agreement.starts_on.isoformat()})
    assert response.status_code == 200
    assert _errors(response)[0].startswith("The new end date must be after")
    new_end = agreement.ends_on + datetime.timedelta(days=31)
    response = client_as(staff_a).post(url, {"ends_on": new_end.isoformat(), "reason": ""})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.ends_on == new_end


def test_cancelling_needs_a_reason(client_as, org_a, staff_a, host):
    agreement = make_agreement(org_a, host)
    url = _url("agreement_cancel", org_a, agreement_id=agreement.pk)
    response = client_as(staff_a).post(url, {"reason": ""})
    assert _errors(response) == ["Say why you are cancelling the agreement"]
    client_as(staff_a).post(url, {"reason": "Post no longer funded"})
    agreement.refresh_from_db()
    assert agreement.status == Status.CANCELLED


# --- Approvers ----------------------------------------------------------------------------


def test_an_admin_names_and_removes_an_approver_and_staff_cannot(
    client_as, org_a, admin_a, staff_a, member_b
):
    url = _url("approvers", org_a)
    assert client_as(staff_a).get(url).status_code == 403
    assert client_as(member_b).get(url).status_code == 404
    client = client_as(admin_a)
    outsider = MembershipFactory(organisation=OrganisationFactory()).user
    response = client.post(url, {"user": outsider.pk})
    assert _errors(response) == ["Choose a member of your organisation from the list"]
    client.post(url, {"user": staff_a.pk})
    approver = SecondmentApprover.objects.get()
    assert (approver.user, approver.named_by) == (staff_a, admin_a)
    client.post(_url("approver_remove", org_a, approver_id=approver.pk))
    assert not SecondmentApprover.objects.exists()


# --- The person's own page ----------------------------------------------------------------


def test_a_person_sees_their_interests_and_agreements_and_withdraws_one(
    client_as, org_a, staff_a, host
):
    opportunity = make_opportunity(host, title="Discharge coordinator")
    interest = make_interest(opportunity, org_a, person=staff_a)
    make_agreement(org_a, host, person=staff_a, role_title="Frailty nurse")
    someone_else = make_interest(make_opportunity(host), org_a)
    client = client_as(staff_a)
    text = _text(client.get(reverse("my_secondments:list")))
    assert "Discharge coordinator" in text and "Frailty nurse" in text
    other_url = reverse("my_secondments:interest_withdraw", kwargs={"interest_id": someone_else.pk})
    assert client.post(other_url).status_code == 404
    client.post(reverse("my_secondments:interest_withdraw", kwargs={"interest_id": interest.pk}))
    interest.refresh_from_db()
    someone_else.refresh_from_db()
    assert interest.status == InterestStatus.WITHDRAWN
    assert someone_else.status == InterestStatus.EXPRESSED


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("my_secondments:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# --- Queries ------------------------------------------------------------------------------


def _secondments_of(org_a, host, count):
    for _ in range(count):
        make_agreement(org_a, host)
        make_agreement(host, org_a, status=Status.ACTIVE)
        opportunity = make_opportunity(org_a)
        make_interest(opportunity, host)
        make_interest(make_opportunity(host), org_a)


def _same_queries_whatever_the_rows(client, url, org_a, host, assert_max, expected):
    """Load the page once (the session settles), count its queries with one row of each
    kind, then check six rows of each take no more."""
    _secondments_of(org_a, host, 1)
    client.get(url)
    with assert_max(10) as few:
        client.get(url)
    _secondments_of(org_a, host, 5)
    with assert_max(len(few.captured_queries)):
        response = client.get(url)
    text = _text(response)
    for phrase in expected:
        assert phrase in text


def test_the_overview_runs_a_fixed_number_of_queries(
    client_as, org_a, staff_a, host, django_assert_max_num_queries
):
    _same_queries_whatever_the_rows(
        client_as(staff_a),
        _url("overview", org_a),
        org_a,
        host,
        django_assert_max_num_queries,
        ["Our people out (6)", "People with us (6)", "Waiting for you to release them (6)"],
    )


def test_the_opportunity_list_runs_a_fixed_number_of_queries(
    client_as, org_a, staff_a, host, django_assert_max_num_queries
):
    _same_queries_whatever_the_rows(
        client_as(staff_a),
        _url("opportunity_list", org_a),
        org_a,
        host,
        django_assert_max_num_queries,
        ["Open to your staff (6)", "Offered by your organisation (6)"],
    )
