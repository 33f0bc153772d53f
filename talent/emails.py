"""Every email talent sends, each a named function going through the outbox."""


# --- Vacancy approval (HR staff and organisation admins) -------------------------------


def _vacancy_manage_path(vacancy) -> str:
    from django.urls import reverse

    return reverse(
        "vacancies:vacancy_detail",
        kwargs={"org_slug": vacancy.organisation.slug, "pk": vacancy.pk},
    )


def email_vacancy_awaiting_approval(*, vacancy, recipient, submitted_by):
    """To each admin of the organisation: a colleague sent a vacancy for approval."""
    from hub.outbox import outbox_send_template

    return outbox_send_template(
        template="vacancy_awaiting_approval",
        to=recipient.email,
        context={
            "vacancy": vacancy,
            "organisation": vacancy.organisation,
            "recipient": recipient,
            "submitted_by": submitted_by,
            "manage_path": _vacancy_manage_path(vacancy),
        },
    )


def email_vacancy_approved(*, vacancy, approved_by):
    """To the vacancy's creator: an admin approved it and it is live."""
    from hub.outbox import outbox_send_template

    return outbox_send_template(
        template="vacancy_approved",
        to=vacancy.created_by.email,
        context={
            "vacancy": vacancy,
            "organisation": vacancy.organisation,
            "recipient": vacancy.created_by,
            "approved_by": approved_by,
            "manage_path": _vacancy_manage_path(vacancy),
            "public_path": vacancy.get_absolute_url(),
        },
    )


def email_vacancy_returned_to_draft(*, vacancy, returned_by, reason):
    """To the vacancy's creator: an admin did not approve it, and why."""
    from hub.outbox import outbox_send_template

    return outbox_send_template(
        template="vacancy_returned_to_draft",
        to=vacancy.created_by.email,
        context={
            "vacancy": vacancy,
            "organisation": vacancy.organisation,
            "recipient": vacancy.created_by,
            "returned_by": returned_by,
            "reason": reason,
            "manage_path": _vacancy_manage_path(vacancy),
        },
    )


# --- Applying and job alerts (candidates, and the vacancy's contact) ---------------------


def _application_manage_path(application) -> str:
    """The HR page of an application, for the vacancy's contact."""
    from django.urls import reverse

    return reverse(
        "vacancies:application_detail",
        kwargs={
            "org_slug": application.vacancy.organisation.slug,
            "application_id": application.pk,
        },
    )


def email_application_received(*, application):
    """To the candidate: we have your application for X at Y."""
    from hub.outbox import outbox_send_template

    return outbox_send_template(
        template="application_received",
        to=application.email,
        context={
            "application": application,
            "vacancy": application.vacancy,
            "organisation": application.vacancy.organisation,
            "application_path": application.get_absolute_url(),
        },
    )


def email_new_application(*, application):
    """To the vacancy's contact, straight away: a new application, with only the
    applicant's name and a link to read it after signing in."""
    from hub.outbox import outbox_send_template

    vacancy = application.vacancy
    return outbox_send_template(
        template="application_new",
        to=vacancy.contact.email,
        context={
            "recipient": vacancy.contact,
            "applicant_name": application.full_name,
            "vacancy": vacancy,
            "organisation": vacancy.organisation,
            "manage_path": _application_manage_path(application),
        },
    )


def email_application_digest(*, contact, applications):
    """To a vacancy's contact, once a day: the applications they have not heard of yet,
    each with the applicant's name only."""
    from hub.outbox import outbox_send_template

    items = [
        {
            "applicant_name": application.full_name,
            "vacancy": application.vacancy,
            "organisation": application.vacancy.organisation,
            "submitted_at": application.submitted_at,
            "manage_path": _application_manage_path(application),
        }
        for application in applications
    ]
    return outbox_send_template(
        template="application_digest",
        to=contact.email,
        context={"recipient": contact, "items": items, "count": len(items)},
    )


def email_job_alert(*, saved_search, vacancies, total):
    """To a candidate: new vacancies matching their saved search, with a one-click
    unsubscribe (RFC 8058) that works without signing in."""
    from django.conf import settings
    from django.urls import reverse

    from hub.outbox import outbox_send_template

    unsubscribe_path = reverse(
        "candidate:alert_unsubscribe", kwargs={"token": saved_search.unsubscribe_token}
    )
    return outbox_send_template(
        template="job_alert",
        to=saved_search.user.email,
        context={
            "saved_search": saved_search,
            "vacancies": vacancies,
            "total": total,
            "more": total - len(vacancies),
            "search_path": saved_search.get_search_url(),
            "alerts_path": reverse("candidate:alerts"),
            "unsubscribe_path": unsubscribe_path,
        },
        headers={
            "List-Unsubscribe": f"<{settings.SITE_URL}{unsubscribe_path}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
