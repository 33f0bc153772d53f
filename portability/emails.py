"""Every email portability sends, each a named function going through the outbox."""


def email_mobilisation_activated(*, mobilisation, recipient, signatory, role: str):
    """Tell one signatory's lead or deputy that a mobilisation is active."""
    from django.urls import reverse

    from hub.outbox import outbox_send_template

    return outbox_send_template(
        template="portability_mobilisation_activated",
        to=recipient.email,
        context={
            "mobilisation": mobilisation,
            "recipient": recipient,
            "organisation": signatory.organisation,
            "role": role,
            "detail_path": reverse(
                "mobilisations:detail",
                kwargs={
                    "org_slug": signatory.organisation.slug,
                    "mobilisation_id": mobilisation.pk,
                },
            ),
        },
    )


# --- Staff requests and offers ----------------------------------------------------------


def _contacts(organisation):
    """The lead and deputy of the organisation's current signature, lead first."""
    from portability.selectors.framework import signature_for

    signature = signature_for(organisation)
    if signature is None:
        return []
    return [(signature.lead, "lead"), (signature.deputy, "deputy")]


def email_staff_offer_made(*, offer):
    """To the host's lead and deputy: another signatory offered someone for a request."""
    from django.urls import reverse

    from hub.outbox import outbox_send_template

    staff_request = offer.request
    host = staff_request.mobilisation.organisation
    path = reverse(
        "requests:hosted_request",
        kwargs={"org_slug": host.slug, "staff_request_id": staff_request.pk},
    )
    return [
        outbox_send_template(
            template="portability_offer_made",
            to=recipient.email,
            context={
                "offer": offer,
                "staff_request": staff_request,
                "mobilisation": staff_request.mobilisation,
                "recipient": recipient,
                "role": role,
                "request_path": path,
            },
        )
        for recipient, role in _contacts(host)
    ]


def email_staff_offer_decided(*, offer):
    """To the home organisation's lead and deputy: the host accepted or declined."""
    from django.urls import reverse

    from hub.outbox import outbox_send_template

    path = reverse("requests:offers", kwargs={"org_slug": offer.organisation.slug})
    return [
        outbox_send_template(
            template="portability_offer_decided",
            to=recipient.email,
            context={
                "offer": offer,
                "staff_request": offer.request,
                "mobilisation": offer.request.mobilisation,
                "host": offer.request.mobilisation.organisation,
                "recipient": recipient,
                "role": role,
                "offers_path": path,
            },
        )
        for recipient, role in _contacts(offer.organisation)
    ]


def email_staff_deployment_planned(*, offer, deployment):
    """To the person offered: where they are going, when, and whom to ask."""
    from hub.outbox import outbox_send_template

    host = offer.request.mobilisation.organisation
    return outbox_send_template(
        template="portability_deployment_planned",
        to=offer.staff_email,
        context={
            "offer": offer,
            "deployment": deployment,
            "staff_request": offer.request,
            "host": host,
            "host_contacts": _contacts(host),
            "home_contacts": _contacts(offer.organisation),
        },
    )


def _deployment_email(*, template: str, deployment, recipient, role: str):
    from django.urls import reverse

    from hub.outbox import outbox_send_template

    return outbox_send_template(
        template=template,
        to=recipient.email,
        context={
            "deployment": deployment,
            "recipient": recipient,
            "role": role,
            "home": deployment.home,
            "host": deployment.host,
            "staff_name": deployment.offer.staff_name,
            "detail_path": reverse(
                "deployments:deployment_detail",
                kwargs={"org_slug": deployment.home.slug, "deployment_id": deployment.pk},
            ),
        },
    )


def email_deployment_started(*, deployment, recipient, role: str):
    """Tell the home organisation's lead or deputy that one of its people has started
    at the host (and whether the host started before the checks were complete)."""
    return _deployment_email(
        template="portability_deployment_started",
        deployment=deployment,
        recipient=recipient,
        role=role,
    )


def email_deployment_returned(*, deployment, recipient, role: str):
    """Tell the home organisation's lead or deputy that one of its people has returned,
    with the days worked and the recharge due, and ask for the home's feedback."""
    return _deployment_email(
        template="portability_deployment_returned",
        deployment=deployment,
        recipient=recipient,
        role=role,
    )


def email_deployment_ending(*, deployment, recipient, role: str, organisation):
    """Tell the home's or the host's lead or deputy that a deployment ends within days,
    so the return (and the host's close-out) is arranged."""
    from django.urls import reverse
    from django.utils import timezone

    from hub.outbox import outbox_send_template

    return outbox_send_template(
        template="portability_deployment_ending",
        to=recipient.email,
        context={
            "deployment": deployment,
            "recipient": recipient,
            "role": role,
            "organisation": organisation,
            "is_host": organisation.pk == deployment.host_id,
            "home": deployment.home,
            "host": deployment.host,
            "staff_name": deployment.offer.staff_name,
            "days_left": (deployment.ends_on - timezone.localdate()).days,
            "detail_path": reverse(
                "deployments:deployment_detail",
                kwargs={"org_slug": organisation.slug, "deployment_id": deployment.pk},
            ),
        },
    )
