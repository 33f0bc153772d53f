"""Publish version 1 of the Staff Portability Framework's terms, so organisations have
something to sign from the first day. Later versions are published by hub admins in the
Django admin."""

from django.db import migrations
from django.utils import timezone

TITLE = "Staff Portability Framework"

PARAGRAPHS = (
    (
        "1. Purpose. This is a voluntary agreement between health and social care "
        "organisations in Leeds to share skilled and experienced staff for a short time when "
        "one of them has critical service need, so that the city responds to changing demand "
        "as one workforce."
    ),
    (
        "2. Taking part. Any partner of the Workforce Hub may sign. Signing commits an "
        "organisation to consider requests in good faith; it never obliges it to release "
        "staff it needs for its own safe services. Each signatory names a lead and a deputy, "
        "who are told of every mobilisation and answer for their organisation."
    ),
    (
        "3. Mobilisation. A signatory with critical service need raises a mobilisation, "
        "saying which service needs staff, why, how urgently, and for how long. It takes "
        "effect when it is activated, and is stood down when the need has passed. Requests "
        "for staff are made only within an active mobilisation."
    ),
    (
        "4. Voluntary for staff. No one is deployed without their agreement. The home "
        "organisation records that the person agreed before offering them."
    ),
    (
        "5. Employment. The home organisation stays the employer throughout. Pay, terms and "
        "conditions, pension, continuity of service and professional indemnity do not change. "
        "The host directs the day-to-day work, provides a local induction and supervision, "
        "and is responsible for the safety of its setting."
    ),
    (
        "6. Checks recorded once. The home organisation records the pre-deployment checks "
        "once (identity, right to work, DBS, professional registration, mandatory training, "
        "occupational health and indemnity) and the host sees them. The host accepts them as "
        "they are, as far as its own policies allow, and closes any gap itself. No deployment "
        "starts until the checks are complete, unless an admin of the host overrides with a "
        "recorded reason."
    ),
    (
        "7. Costs. The host repays the home organisation the cost of the person's time "
        "(salary, on-costs and agreed expenses) for the days and hours worked, unless the two "
        "agree otherwise in writing before the deployment starts."
    ),
    (
        "8. Right to return. A deployment is short-term. The person returns to their home "
        "organisation at the agreed end date, or earlier if the home organisation needs them "
        "back or the person asks to return; the host does not recruit them directly while "
        "they are deployed."
    ),
    (
        "9. Withdrawal. A signatory may withdraw at any time by giving notice through the "
        "Workforce Hub. Deployments already running end as agreed unless both organisations "
        "decide otherwise. The record of its signature and of past deployments is kept."
    ),
    (
        "10. Information. Organisations share only the personal information needed for a "
        "deployment, keep it securely, and handle it under UK GDPR."
    ),
)
TERMS = "\n\n".join(PARAGRAPHS)


def publish_version_1(apps, schema_editor):
    FrameworkVersion = apps.get_model("portability", "FrameworkVersion")
    FrameworkVersion.objects.get_or_create(
        number=1,
        defaults={
            "title": TITLE,
            "terms": TERMS,
            "published_at": timezone.now(),
            "raiser_may_activate": False,
        },
    )


def unpublish_version_1(apps, schema_editor):
    FrameworkVersion = apps.get_model("portability", "FrameworkVersion")
    Signatory = apps.get_model("portability", "Signatory")
    if not Signatory.objects.filter(version__number=1).exists():
        FrameworkVersion.objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("portability", "0001_initial")]

    operations = [migrations.RunPython(publish_version_1, unpublish_version_1)]
