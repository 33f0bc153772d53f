"""The nightly retention job: personal data is kept only as long as it is needed, while
every report figure stays as it was.

- Applications that ended unsuccessfully (rejected or withdrawn) are anonymised
  `RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS` after their vacancy's closing date: name,
  contact details, statement, adjustments and the CV go, answers and notes are deleted,
  the link to the candidate's account is cut. What reports count stays: the vacancy, the
  stage and its history, source, campaign code, route into work, rejection reason, the
  dates, and the equality monitoring row (never shown except in aggregate). The link to
  the account is kept only where the person was invited from the talent pool to that
  vacancy: the invitation already ties them to it, and the invitations report counts
  their application through that link.
- Campaign residents with no standing consent to be contacted are anonymised
  `RETENTION_RESIDENT_WITHOUT_CONSENT_MONTHS` after their last engagement (the latest of
  their record, their journeys and their bookings changing). Their neighbourhood,
  journeys and bookings stay, so funnels and the equity-of-reach figures do not move;
  staff's free-text notes on their journeys go.

Each part is a few set-based statements whatever the number of rows, and the run writes
one audit event with the counts. Rows already anonymised are never chosen again, so a
second run changes nothing. CV files are deleted only after the transaction commits, so
a failed run never leaves an application pointing at a missing file.
"""

import datetime
from functools import partial

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, F, Max, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from campaigns.models import ContactConsent, Engagement, EventBooking, Resident
from hub.services import audit_record
from hub.uploads import private_storage
from talent.models import (
    Application,
    ApplicationAnswer,
    ApplicationNote,
    PoolInvitation,
    PreEmploymentCheck,
)

ANONYMISED_RESIDENT_NAME = "Anonymised resident"
UNSUCCESSFUL = (Application.Stage.REJECTED, Application.Stage.WITHDRAWN)


def applications_due(today: datetime.date) -> QuerySet[Application]:
    """Unsuccessful applications whose vacancy closed more than the retention period
    before `today`, not yet anonymised."""
    cutoff = today - relativedelta(months=settings.RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS)
    return Application.objects.filter(
        stage__in=UNSUCCESSFUL, vacancy__closing_date__lt=cutoff, anonymised_at__isnull=True
    )


def _delete_files(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        storage.delete(name)


def applications_anonymise(today: datetime.date, now: datetime.datetime) -> int:
    """Anonymise the due applications (see the module's docstring); returns how many."""
    due = list(applications_due(today).values_list("pk", "cv"))
    if not due:
        return 0
    ids = [pk for pk, _ in due]
    cv_names = [name for _, name in due if name]
    ApplicationAnswer.objects.filter(application_id__in=ids).delete()
    ApplicationNote.objects.filter(application_id__in=ids).delete()
    # A check's detail may name documents or findings about the person.
    PreEmploymentCheck.objects.filter(application_id__in=ids).update(detail="")
    invited = PoolInvitation.objects.filter(
        vacancy=OuterRef("vacancy"), profile__user=OuterRef("candidate")
    )
    Application.objects.filter(pk__in=ids).update(
        full_name="",
        email="",
        phone="",
        address="",
        postcode="",
        supporting_statement="",
        cv="",
        cv_filename="",
        right_to_work="",
        reasonable_adjustments="",
        duplicate_key="",
        candidate=Case(When(Exists(invited), then=F("candidate")), default=Value(None)),
        anonymised_at=now,
    )
    if cv_names:
        transaction.on_commit(partial(_delete_files, cv_names))
    return len(ids)


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


def residents_anonymise(today: datetime.date, now: datetime.datetime) -> int:
    """Anonymise the due residents (see the module's docstring); returns how many."""
    ids = list(residents_due(today).values_list("pk", flat=True))
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
def retention_apply(*, today: datetime.date | None = None) -> dict:
    """Run both parts and audit the counts. Returns {"applications": n, "residents": n}."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    counts = {
        "applications": applications_anonymise(today, now),
        "residents": residents_anonymise(today, now),
    }
    audit_record(
        actor=None,
        action="retention.applied",
        summary=(
            f"Retention: anonymised {counts['applications']} application(s) and "
            f"{counts['residents']} resident(s)"
        ),
        data={
            **counts,
            "application_months": settings.RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS,
            "resident_months": settings.RETENTION_RESIDENT_WITHOUT_CONSENT_MONTHS,
        },
    )
    return counts
