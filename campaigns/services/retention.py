"""Retention of campaign residents' personal data, run nightly by
`campaigns.tasks.anonymise_residents_without_consent`: it is kept only as long as it is
needed, while every report figure stays as it was.

Residents with no standing consent to be contacted are anonymised
`RETENTION_RESIDENT_WITHOUT_CONSENT_MONTHS` after their last engagement (the latest of
their record, their journeys and their bookings changing). Their neighbourhood, journeys
and bookings stay, so funnels and the equity-of-reach figures do not move; staff's
free-text notes on their journeys go.

A run is a few set-based statements whatever the number of rows, and writes one audit
event with the count. Residents already anonymised are never chosen again, so a second
run changes nothing.

Applicants have their own retention (talent.services.retention).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone

from campaigns.models import ContactConsent, Engagement, EventBooking, Resident
from hub.services import audit_record

ANONYMISED_RESIDENT_NAME = "Anonymised resident"
AUDIT_ACTION = "retention.residents_anonymised"


def residents_due(today: datetime.date) -> QuerySet[Resident]:
    """Residents without standing consent whose last engagement is older than the
    retention period, not yet anonymised."""
    cutoff = today - relativedelta(months=settings.RETENTION_RESIDENT_WITHOUT_CONSENT_MONTHS)
    last_journey = Subquery(
        Engagement.objects.filter(resident=OuterRef("pk"))
        .values("resident")
        .annotate(last=Max("updated_at"))
        .values("last")
    )
    last_booking = Subquery(
        EventBooking.objects.filter(resident=OuterRef("pk"))
        .values("resident")
        .annotate(last=Max("updated_at"))
        .values("last")
    )
    standing_consent = ContactConsent.objects.filter(resident=OuterRef("pk"), withdrawn_at=None)
    # GREATEST ignores NULLs: a resident with no journey or booking counts from their record.
    return (
        Resident.objects.filter(anonymised_at__isnull=True)
        .exclude(Exists(standing_consent))
        .alias(last_engaged=Greatest("updated_at", last_journey, last_booking))
        .filter(last_engaged__date__lt=cutoff)
    )


def anonymise_residents(residents: QuerySet[Resident], *, now: datetime.datetime) -> int:
    """Remove these residents' personal data, keeping their neighbourhood, journeys and
    bookings (see the module's docstring). Returns how many. Also what erasing an account
    does to the resident records of its owner (campaigns.personal_data)."""
    ids = list(residents.values_list("pk", flat=True))
    if not ids:
        return 0
    Engagement.objects.filter(resident_id__in=ids).exclude(notes="").update(notes="")
    Resident.objects.filter(pk__in=ids).update(
        name=ANONYMISED_RESIDENT_NAME,
        email="",
        phone="",
        postcode="",
        user=None,
        anonymised_at=now,
        updated_at=now,
    )
    return len(ids)


@transaction.atomic
def residents_anonymise(*, today: datetime.date | None = None) -> int:
    """Anonymise the due residents (see the module's docstring) and audit the count;
    returns how many."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    count = anonymise_residents(residents_due(today), now=now)
    audit_record(
        actor=None,
        action=AUDIT_ACTION,
        summary=f"Retention: anonymised {count} resident(s) without consent",
        data={
            "residents": count,
            "resident_months": settings.RETENTION_RESIDENT_WITHOUT_CONSENT_MONTHS,
        },
    )
    return count
