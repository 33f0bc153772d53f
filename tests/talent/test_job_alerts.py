"""Saved searches that become job alerts: what is saved, who gets which email and when,
and unsubscribing from the email without signing in."""

import smtplib

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hub import outbox
from hub.models import OutboundEmail
from talent.models import SavedSearch, StaffGroup
from talent.services import alerts as services
from talent.tasks import send_job_alerts
from tests.factories import SavedSearchFactory, UserFactory, VacancyFactory

HOUR = timezone.timedelta(hours=1)
DAY = timezone.timedelta(days=1)
PORTER = "Move patients and equipment safely around the hospital."


# --- Saving a search --------------------------------------------------------------------


def test_a_saved_search_keeps_only_the_search_parameters_and_gets_a_readable_name(candidate):
    saved = services.saved_search_create(
        user=candidate,
        query="q=nurse&band=5&pattern=part_time&page=3&utm_source=newsletter&district=",
        frequency="daily",
    )
    assert saved.query == "q=nurse&band=5&pattern=part_time"
    assert saved.name == "Nurse jobs: Band 5, Part time"
    assert saved.active
    assert len(saved.unsubscribe_token) >= 40
    assert saved.get_search_url() == "/jobs/?q=nurse&band=5&pattern=part_time"


@pytest.mark.parametrize(
    "query, name",
    [
        ("", "All jobs"),
        ("staff_group=nursing-and-midwifery&entry_level=1", None),
        ("district=ls9+7tf&max_hours=22.5", "Jobs: LS9, up to 22.5 hours"),
    ],
)
def test_a_default_name_describes_the_search(candidate, query, name):
    saved = services.saved_search_create(user=candidate, query=query, frequency="daily")
    if name is None:
        group = StaffGroup.objects.get(slug="nursing-and-midwifery")
        name = f"Jobs: {group.name}, No experience needed"
    assert saved.name == name


def test_the_same_search_saved_twice_is_one_alert(candidate):
    first = services.saved_search_create(user=candidate, query="q=porter", frequency="daily")
    second = services.saved_search_create(
        user=candidate, query="q=porter&page=2", frequency="weekly"
    )
    assert second.pk == first.pk
    assert second.frequency == "weekly"
    assert SavedSearch.objects.count() == 1


def test_a_person_can_have_at_most_20_alerts(candidate):
    for n in range(20):
        services.saved_search_create(user=candidate, query=f"q=job{n}", frequency="daily")
    with pytest.raises(ValidationError, match="up to 20 job alerts"):
        services.saved_search_create(user=candidate, query="q=one+more", frequency="daily")
    assert SavedSearch.objects.filter(user=candidate).count() == 20


def test_a_search_with_a_mistake_is_not_saved(candidate):
    with pytest.raises(ValidationError, match="has a problem"):
        services.saved_search_create(user=candidate, query="band=99", frequency="daily")
    assert not SavedSearch.objects.exists()


def test_saving_from_the_search_page_shows_the_alert_in_the_candidates_alerts(client_as, candidate):
    client = client_as(candidate)
    response = client.post(reverse("candidate:alert_create"), {"query": "q=nurse&page=2"})
    assert response.status_code == 302
    assert response.url == reverse("candidate:alerts")
    page = client.get(response.url).content.decode()
    assert "Job alert saved: Nurse jobs." in page
    assert "Each morning" in page
    saved = SavedSearch.objects.get(user=candidate)
    assert saved.query == "q=nurse"


def test_a_visitor_who_saves_a_search_signs_in_and_comes_back_to_the_search(client, db):
    response = client.post(reverse("candidate:alert_create"), {"query": "q=nurse&band=5"})
    assert response.status_code == 302
    login = reverse("account_login")
    assert response.url == f"{login}?next=/jobs/%3Fq%3Dnurse%26band%3D5"
    assert not SavedSearch.objects.exists()


def test_too_many_alerts_are_explained_on_the_alerts_page(client_as, candidate):
    for n in range(20):
        SavedSearchFactory(user=candidate, query=f"q=job{n}")
    client = client_as(candidate)
    response = client.post(reverse("candidate:alert_create"), {"query": "q=nurse"}, follow=True)
    assert "You can have up to 20 job alerts" in response.content.decode()


# --- Sending alerts -------------------------------------------------------------------------


@pytest.fixture
def alert(candidate):
    return SavedSearchFactory(
        user=candidate,
        name="Nurse jobs",
        query="q=nurse",
        last_sent_at=timezone.now() - DAY,
    )


def _send(frequency="daily", capture=None, **kwargs):
    with capture(execute=True):
        return services.job_alerts_send(frequency=frequency, **kwargs)


def test_an_alert_lists_only_new_vacancies_that_match(
    alert, org_a, django_capture_on_commit_callbacks
):
    VacancyFactory(title="Staff Nurse", published_at=timezone.now() - 2 * DAY)  # seen before
    new = VacancyFactory(title="Community Nurse", organisation=org_a)
    VacancyFactory(title="Porter", description=PORTER)  # new, but not a match
    VacancyFactory(title="Nurse Associate", status="draft")  # not published

    assert _send(capture=django_capture_on_commit_callbacks) == 1

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [alert.user.email]
    assert email.subject == "1 new job for your alert: Nurse jobs"
    assert "Community Nurse" in email.body
    assert org_a.name in email.body
    assert f"{new.closing_date:%-d %B %Y}" in email.body
    assert f"{settings.SITE_URL}{new.get_absolute_url()}" in email.body
    assert f"{settings.SITE_URL}/jobs/?q=nurse" in email.body
    assert "Staff Nurse" not in email.body
    assert "Porter" not in email.body
    assert "Nurse Associate" not in email.body
    alert.refresh_from_db()
    assert timezone.now() - alert.last_sent_at < HOUR


def test_the_alert_email_carries_a_one_click_unsubscribe(alert, django_capture_on_commit_callbacks):
    VacancyFactory(title="Community Nurse")
    _send(capture=django_capture_on_commit_callbacks)
    email = mail.outbox[0]
    url = f"{settings.SITE_URL}/jobs/alerts/unsubscribe/{alert.unsubscribe_token}/"
    assert email.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in email.body
    html = email.alternatives[0][0]
    assert f'href="{url}"' in html


def test_no_email_is_sent_when_nothing_new_matches(alert, django_capture_on_commit_callbacks):
    VacancyFactory(title="Porter", description=PORTER)
    assert _send(capture=django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_sending_twice_sends_nothing_new(alert, django_capture_on_commit_callbacks):
    VacancyFactory(title="Community Nurse")
    now = timezone.now()
    assert _send(capture=django_capture_on_commit_callbacks, now=now) == 1
    assert _send(capture=django_capture_on_commit_callbacks, now=now) == 0
    assert _send(capture=django_capture_on_commit_callbacks, now=now + 2 * HOUR) == 0
    assert len(mail.outbox) == 1


def test_the_next_days_alert_lists_only_what_was_published_since(
    alert, django_capture_on_commit_callbacks
):
    VacancyFactory(title="Community Nurse")
    now = timezone.now()
    _send(capture=django_capture_on_commit_callbacks, now=now)
    VacancyFactory(title="Theatre Nurse", published_at=now + HOUR)
    _send(capture=django_capture_on_commit_callbacks, now=now + DAY)
    assert len(mail.outbox) == 2
    assert "Theatre Nurse" in mail.outbox[1].body
    assert "Community Nurse" not in mail.outbox[1].body


def test_an_alert_lists_ten_jobs_and_links_to_the_rest(alert, django_capture_on_commit_callbacks):
    for n in range(12):
        VacancyFactory(
            title=f"Nurse {n}", published_at=timezone.now() - timezone.timedelta(minutes=n)
        )
    _send(capture=django_capture_on_commit_callbacks)
    email = mail.outbox[0]
    assert email.subject == "12 new jobs for your alert: Nurse jobs"
    assert email.body.count("Closing date:") == 10
    assert "Nurse 0\n" in email.body and "Nurse 11\n" not in email.body
    assert "And 2 more." in email.body
    assert "See all 12 jobs" in email.alternatives[0][0]


def test_weekly_alerts_wait_a_week_and_daily_ones_a_day(
    candidate, django_capture_on_commit_callbacks
):
    weekly = SavedSearchFactory(
        user=candidate,
        query="q=nurse",
        frequency="weekly",
        created_at=timezone.now() - 30 * DAY,
        last_sent_at=timezone.now() - 2 * DAY,
    )
    VacancyFactory(title="Community Nurse")
    assert _send("weekly", capture=django_capture_on_commit_callbacks) == 0
    assert _send("daily", capture=django_capture_on_commit_callbacks) == 0
    later = timezone.now() + 5 * DAY + HOUR
    assert _send("weekly", capture=django_capture_on_commit_callbacks, now=later) == 1
    weekly.refresh_from_db()
    assert weekly.last_sent_at == later


def test_a_new_alert_is_checked_at_the_next_run_however_soon(
    candidate, django_capture_on_commit_callbacks
):
    saved = services.saved_search_create(user=candidate, query="q=nurse", frequency="weekly")
    VacancyFactory(title="Community Nurse", published_at=timezone.now() + HOUR)
    later = timezone.now() + 2 * HOUR
    assert _send("weekly", capture=django_capture_on_commit_callbacks, now=later) == 1
    assert "Community Nurse" in mail.outbox[0].body
    # From then on it waits its week.
    VacancyFactory(title="Theatre Nurse", published_at=later + HOUR)
    assert _send("weekly", capture=django_capture_on_commit_callbacks, now=later + DAY) == 0
    saved.refresh_from_db()
    assert saved.last_sent_at == later


def test_an_unsubscribed_alert_or_inactive_person_gets_nothing(
    alert, django_capture_on_commit_callbacks
):
    VacancyFactory(title="Community Nurse")
    SavedSearchFactory(
        user=UserFactory(is_active=False), query="q=nurse", last_sent_at=alert.last_sent_at
    )
    alert.active = False
    alert.save()
    assert _send(capture=django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_task_sends_the_alerts(alert, django_capture_on_commit_callbacks):
    VacancyFactory(title="Community Nurse")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_job_alerts.delay("daily").get() == 1
    assert len(mail.outbox) == 1


# --- Many alerts at once (docs/performance.md) ---------------------------------------------


def _alerts(count, **kwargs):
    return SavedSearchFactory.create_batch(
        count, query="q=nurse", last_sent_at=timezone.now() - DAY, **kwargs
    )


def test_alerts_sharing_a_search_match_it_once_whatever_their_number(
    db,
    django_capture_on_commit_callbacks,
):
    def queries(count):
        _alerts(count)
        with CaptureQueriesContext(connection) as captured:
            assert _send(capture=django_capture_on_commit_callbacks) == count
        return len(captured)

    VacancyFactory(title="Community Nurse")
    few = queries(2)
    mail.outbox.clear()
    assert queries(40) == few  # one search, one INSERT of emails, one batch delivered
    assert len(mail.outbox) == 40
    assert len({email.to[0] for email in mail.outbox}) == 40


def test_each_alert_of_a_shared_search_lists_what_is_new_since_its_own_last_email(
    db,
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    recent, older = _alerts(2)
    recent.last_sent_at = now - 2 * HOUR
    recent.save()
    older.last_sent_at = now - 2 * DAY
    older.save()
    VacancyFactory(title="Theatre Nurse", published_at=now - HOUR)
    VacancyFactory(title="Community Nurse", published_at=now - DAY - HOUR)

    _send(capture=django_capture_on_commit_callbacks, now=now + 22 * HOUR)

    bodies = {email.to[0]: email.body for email in mail.outbox}
    assert "Community Nurse" not in bodies[recent.user.email]
    assert "Theatre Nurse" in bodies[recent.user.email]
    assert "Community Nurse" in bodies[older.user.email]


def test_one_broken_alert_does_not_stop_the_others(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    broken, *others = _alerts(3)
    VacancyFactory(title="Community Nurse")
    job_alert_email = services.emails.job_alert_email

    def fail_for_one(*, saved_search, **kwargs):
        if saved_search.pk == broken.pk:
            raise RuntimeError("a template error")
        return job_alert_email(saved_search=saved_search, **kwargs)

    monkeypatch.setattr(services.emails, "job_alert_email", fail_for_one)
    assert _send(capture=django_capture_on_commit_callbacks) == 2
    assert {email.to[0] for email in mail.outbox} == {alert.user.email for alert in others}
    broken.refresh_from_db()
    assert timezone.now() - broken.last_sent_at > HOUR  # still due next time


def test_a_batch_of_alert_emails_is_delivered_once_and_a_failure_waits_for_the_resend(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    _alerts(3)
    VacancyFactory(title="Community Nurse")
    with django_capture_on_commit_callbacks(execute=False):  # written, not yet delivered
        assert services.job_alerts_send(frequency="daily") == 3
    emails = list(OutboundEmail.objects.filter(kind="job_alert"))
    failing = emails[0]
    send = EmailMultiAlternatives.send

    def refuse_one(message, *args, **kwargs):
        if message.to == [failing.to]:
            raise smtplib.SMTPServerDisconnected("gone")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_one)
    ids = [email.pk for email in emails]
    assert outbox.outbox_deliver_many(ids) == 2
    assert outbox.outbox_deliver_many(ids) == 0  # the sent ones are not sent again
    assert len(mail.outbox) == 2
    failing.refresh_from_db()
    assert failing.status == OutboundEmail.Status.PENDING
    assert failing.attempts == 2 and "gone" in failing.last_error
    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    assert outbox.outbox_deliver_many(ids) == 1
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 3
    assert len(mail.outbox) == 3


# --- Unsubscribing --------------------------------------------------------------------------


def _unsubscribe_url(saved_search):
    return reverse("candidate:alert_unsubscribe", kwargs={"token": saved_search.unsubscribe_token})


def test_unsubscribing_without_signing_in_asks_first_then_stops_the_emails(client, alert):
    url = _unsubscribe_url(alert)
    response = client.get(url)
    assert response.status_code == 200
    assert "You will stop getting emails" in response.content.decode()
    alert.refresh_from_db()
    assert alert.active

    response = client.post(url)
    assert response.status_code == 200
    assert "You have unsubscribed" in response.content.decode()
    alert.refresh_from_db()
    assert not alert.active

    response = client.get(url)
    assert "You have unsubscribed" in response.content.decode()


def test_a_mail_clients_one_click_post_unsubscribes_without_a_csrf_token(alert):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _unsubscribe_url(alert),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    alert.refresh_from_db()
    assert not alert.active


def test_an_unknown_unsubscribe_token_is_404(client, alert):
    url = reverse("candidate:alert_unsubscribe", kwargs={"token": "not-a-real-token"})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    alert.refresh_from_db()
    assert alert.active


def test_a_search_with_strange_characters_never_breaks_the_redirect(client, db):
    response = client.post(
        reverse("candidate:alert_create"), {"query": "q=nurse\r\nSet-Cookie: x=1&band=5"}
    )
    assert response.status_code == 302
    assert "\n" not in response.url
    assert response.url.startswith(reverse("account_login"))
