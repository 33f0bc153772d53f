"""The organisation's own wording of the rejection and interview invitation emails: the
editor (admins only), its placeholders (a fixed list, filled by plain substitution, never
as a template), preview and reset, and the emails candidates receive."""

import re

import pytest
from django.urls import reverse

from hub.models import AuditEvent, Membership
from talent.models import OrganisationEmailTemplate
from talent.services.pipeline import (
    application_move,
    email_template_save,
    fill_placeholders,
    placeholder_errors,
)
from tests.factories import ApplicationFactory, VacancyFactory


@pytest.fixture
def vacancy(org_a):
    return VacancyFactory(organisation=org_a, title="Healthcare assistant")


@pytest.fixture
def application(vacancy):
    return ApplicationFactory(vacancy=vacancy, full_name="Sam Jones", email="sam@example.org")


def _edit(org, kind):
    return reverse(
        "pipeline:email_template_edit", kwargs={"org_slug": org.slug, "template_kind": kind}
    )


def _list(org):
    return reverse("pipeline:email_templates", kwargs={"org_slug": org.slug})


def _errors(response) -> list[str]:
    summary = re.search(
        r'<div class="nhsuk-error-summary".*?</ul>', response.content.decode(), re.S
    )
    assert summary, "no error summary on the page"
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    ]


def _move(application, to_stage, user, org, **kwargs):
    return application_move(
        application=application,
        to_stage=to_stage,
        actor=user,
        membership=Membership.objects.get(user=user, organisation=org),
        **kwargs,
    )


# --- The emails candidates receive ---------------------------------------------------------


def test_without_its_own_wording_the_organisation_sends_the_kind_default(
    org_a, staff_a, application, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        _move(application, "rejected", staff_a, org_a, rejection_reason="others_stronger")
    [email] = mailoutbox
    assert email.to == ["sam@example.org"]
    assert email.subject == "Your application for Healthcare assistant"
    assert "Dear Sam Jones," in email.body
    assert "not been successful this time" in email.body
    assert "The reason: Other applicants met the criteria better." in email.body
    assert "Leeds Teaching Hospitals NHS Trust" in email.body


def test_the_rejection_uses_the_organisations_own_wording(
    org_a, admin_a, staff_a, application, django_capture_on_commit_callbacks, mailoutbox
):
    email_template_save(
        organisation=org_a,
        kind="rejection",
        subject="About {{ vacancy_title }} at {{organisation_name}}",
        body="Hello {{ candidate_name }}. Sadly: {{ rejection_reason }}. Keep going!",
        actor=admin_a,
    )
    with django_capture_on_commit_callbacks(execute=True):
        _move(application, "rejected", staff_a, org_a, rejection_reason="not_essential")
    [email] = mailoutbox
    assert email.subject == "About Healthcare assistant at Leeds Teaching Hospitals NHS Trust"
    assert email.body.startswith(
        "Hello Sam Jones. Sadly: Does not meet the essential criteria. Keep going!"
    )
    html = email.alternatives[0][0]
    assert "Hello Sam Jones. Sadly: Does not meet the essential criteria. Keep going!" in html


def test_the_interview_invitation_carries_the_link_to_book_a_time(
    org_a, admin_a, staff_a, application, django_capture_on_commit_callbacks, mailoutbox, settings
):
    email_template_save(
        organisation=org_a,
        kind="interview_invitation",
        subject="Come and meet us, {{ candidate_name }}",
        body="Book here: {{ booking_link }}\nSee you soon.",
        actor=admin_a,
    )
    with django_capture_on_commit_callbacks(execute=True):
        _move(application, "interview", staff_a, org_a)
    [email] = mailoutbox
    link = settings.SITE_URL + reverse(
        "bookings:interview", kwargs={"application_id": application.pk}
    )
    assert email.subject == "Come and meet us, Sam Jones"
    assert f"Book here: {link}\nSee you soon." in email.body
    assert f'href="{link}"' in email.alternatives[0][0]


def test_what_the_applicant_typed_is_never_run_as_a_template(
    org_a, staff_a, vacancy, django_capture_on_commit_callbacks, mailoutbox
):
    application = ApplicationFactory(
        vacancy=vacancy,
        full_name="<b>{{ vacancy_title }}</b> {% now 'Y' %}",
        email="odd@example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        _move(application, "rejected", staff_a, org_a, rejection_reason="other")
    [email] = mailoutbox
    assert "Dear <b>{{ vacancy_title }}</b> {% now 'Y' %}," in email.body
    html = email.alternatives[0][0]
    assert "&lt;b&gt;{{ vacancy_title }}&lt;/b&gt;" in html
    assert "<b>{{" not in html


# --- The placeholders ----------------------------------------------------------------------


def test_placeholders_are_filled_by_plain_substitution():
    values = {"candidate_name": "Sam {{ vacancy_title }}", "vacancy_title": "Porter"}
    assert (
        fill_placeholders("{{candidate_name}} for {{ vacancy_title }} {{ other }}", values)
        == "Sam {{ vacancy_title }} for Porter {{ other }}"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Hi {{ salary }}", "{{ salary }} is not a placeholder you can use"),
        ("Hi {{ candidate_name|upper }}", "{{ candidate_name|upper }} is not a placeholder"),
        ("Hi {{ booking_link }}", "{{ booking_link }} is not a placeholder"),
        ("Hi {{ candidate_name }", "Close every placeholder with two braces"),
        ("{% if x %}Hi{% endif %}", "Remove {% and %}"),
    ],
)
def test_anything_but_the_kinds_placeholders_is_refused(text, problem):
    errors = placeholder_errors(text, "rejection")
    assert any(problem in error for error in errors), errors


# --- The editor ----------------------------------------------------------------------------


def test_the_list_shows_each_email_and_whose_wording_it_is(client_as, org_a, admin_a):
    email_template_save(
        organisation=org_a,
        kind="rejection",
        subject="Our own subject",
        body="Hello {{ candidate_name }}",
        actor=admin_a,
    )
    text = client_as(admin_a).get(_list(org_a)).text
    assert "Our own subject" in text and "Your own wording" in text
    assert "Invitation to interview: {{ vacancy_title }}" in text
    assert "The default wording" in text
    assert f'href="{_edit(org_a, "interview_invitation")}"' in text


def test_staff_read_the_list_but_only_admins_edit(client_as, org_a, staff_a):
    client = client_as(staff_a)
    response = client.get(_list(org_a))
    assert response.status_code == 200 and "Only an admin" in response.text
    assert _edit(org_a, "rejection") not in response.text
    assert client.get(_edit(org_a, "rejection")).status_code == 403
    response = client.post(_edit(org_a, "rejection"), {"subject": "x", "body": "y"})
    assert response.status_code == 403
    assert not OrganisationEmailTemplate.objects.exists()


def test_the_editor_lists_the_placeholders_and_starts_from_the_default(client_as, org_a, admin_a):
    text = client_as(admin_a).get(_edit(org_a, "interview_invitation")).text
    for name in ("candidate_name", "vacancy_title", "organisation_name", "booking_link"):
        assert f"<code>{{{{ {name} }}}}</code>" in text
    assert "rejection_reason" not in text
    assert "We are pleased to invite you to an interview." in text


def test_an_admin_saves_the_organisations_own_wording(client_as, org_a, admin_a):
    response = client_as(admin_a).post(
        _edit(org_a, "rejection"),
        {
            "subject": "Your application for {{ vacancy_title }}",
            "body": "Dear {{ candidate_name }},\r\nThank you.",
            "action": "save",
        },
    )
    assert response.status_code == 302 and response.url == _list(org_a)
    template = OrganisationEmailTemplate.objects.get(organisation=org_a, kind="rejection")
    assert template.body == "Dear {{ candidate_name }},\nThank you."
    assert template.updated_by == admin_a
    assert AuditEvent.objects.filter(action="email_template.saved").exists()


def test_the_editor_refuses_unknown_placeholders_and_saves_nothing(client_as, org_a, admin_a):
    response = client_as(admin_a).post(
        _edit(org_a, "rejection"),
        {
            "subject": "About {{ job }}",
            "body": "Dear {{ candidate_name }}, your start date is {{ start_date }}.",
            "action": "save",
        },
    )
    assert response.status_code == 200
    errors = _errors(response)
    assert errors[0].startswith("{{ job }} is not a placeholder you can use. Use only")
    assert errors[1].startswith("{{ start_date }} is not a placeholder you can use.")
    assert not OrganisationEmailTemplate.objects.exists()


def test_an_invitation_without_the_booking_link_is_refused(client_as, org_a, admin_a):
    response = client_as(admin_a).post(
        _edit(org_a, "interview_invitation"),
        {"subject": "Interview", "body": "Dear {{ candidate_name }}, call us.", "action": "save"},
    )
    assert _errors(response) == [
        "Keep {{ booking_link }} in the text: without it the applicant cannot book"
    ]


def test_empty_fields_are_named(client_as, org_a, admin_a):
    response = client_as(admin_a).post(_edit(org_a, "rejection"), {"action": "save"})
    assert _errors(response) == ["Enter a subject", "Enter the text of the email"]


def test_preview_fills_in_a_made_up_applicant_and_saves_nothing(client_as, org_a, admin_a):
    response = client_as(admin_a).post(
        _edit(org_a, "rejection"),
        {
            "subject": "News about {{ vacancy_title }}",
            "body": "Dear {{ candidate_name }}, <script>alert(1)</script> {{ rejection_reason }}",
            "action": "preview",
        },
    )
    assert response.status_code == 200
    text = response.text
    assert "News about Healthcare assistant" in text
    assert "Dear Alex Example, &lt;script&gt;alert(1)&lt;/script&gt; Other applicants" in text
    assert "<script>alert(1)</script>" not in text
    assert not OrganisationEmailTemplate.objects.exists()


def test_reset_goes_back_to_the_default_wording(client_as, org_a, admin_a):
    email_template_save(
        organisation=org_a,
        kind="rejection",
        subject="Ours",
        body="Hello {{ candidate_name }}",
        actor=admin_a,
    )
    url = reverse(
        "pipeline:email_template_reset",
        kwargs={"org_slug": org_a.slug, "template_kind": "rejection"},
    )
    response = client_as(admin_a).post(url)
    assert response.status_code == 302
    assert not OrganisationEmailTemplate.objects.exists()
    assert AuditEvent.objects.filter(action="email_template.reset").exists()


def test_an_unknown_kind_of_email_is_404(client_as, org_a, admin_a):
    assert client_as(admin_a).get(_edit(org_a, "offer_letter")).status_code == 404


def test_another_organisations_wording_is_neither_seen_nor_used(
    client_as, org_a, org_b, admin_a, member_b, staff_a, application,
    django_capture_on_commit_callbacks, mailoutbox,
):  # fmt: skip
    email_template_save(
        organisation=org_b,
        kind="rejection",
        subject="Council wording",
        body="Council says no, {{ candidate_name }}",
        actor=member_b,
    )
    assert "Council wording" not in client_as(admin_a).get(_list(org_a)).text
    assert client_as(member_b).get(_edit(org_a, "rejection")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        _move(application, "rejected", staff_a, org_a, rejection_reason="other")
    assert mailoutbox[0].subject == "Your application for Healthcare assistant"
