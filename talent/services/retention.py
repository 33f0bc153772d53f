"""Retention of applicants' personal data, run nightly by
`talent.tasks.anonymise_unsuccessful_applications`: it is kept only as long as it is
needed, while every report figure stays as it was.

Applications that ended unsuccessfully (rejected or withdrawn) are anonymised
`RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS` after their vacancy's closing date: name,
contact details, statement, adjustments and the CV go, answers and notes are deleted, the
link to the candidate's account is cut. What reports count stays: the vacancy, the stage
and its history, source, campaign code, route into work, rejection reason, the dates, and
the equality monitoring row (never shown except in aggregate). The link to the account is
kept only where the person was invited from the talent pool to that vacancy: the
invitation already ties them to it, and the invitations report counts their application
through that link.

A run is a few set-based statements whatever the number of rows, and writes one audit
event with the count. Applications already anonymised are never chosen again, so a
second run changes nothing. CV files are deleted only after the transaction commits, so
a failed run never leaves an application pointing at a missing file.

Campaign residents have their own retention (campaigns.services.retention).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, QuerySet, Value, When
from django.utils import timezone

from hub.services import audit_record
from hub.uploads import private_files_delete_after_commit
from talent.models import (
    Application,
    ApplicationAnswer,
    ApplicationNote,
    PoolInvitation,
    PreEmploymentCheck,
)

UNSUCCESSFUL = (Application.Stage.REJECTED, Application.Stage.WITHDRAWN)
AUDIT_ACTION = "retention.applications_anonymised"


def applications_due(today: datetime.date) -> QuerySet[Application]:
    """Unsuccessful applications whose vacancy closed more than the retention period
    before `today`, not yet anonymised."""
    cutoff = today - relativedelta(months=settings.RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS)
    return Application.objects.filter(
        stage__in=UNSUCCESSFUL, vacancy__closing_date__lt=cutoff, anonymised_at__isnull=True
    )


def anonymise_applications(applications: QuerySet[Application], *, now: datetime.datetime) -> int:
    """Remove the personal data of these applications, keeping what reports count (see the
    module's docstring); CV files go once the transaction commits. Returns how many. Also
    what erasing an account does to its sent applications (talent.personal_data)."""
    due = list(applications.values_list("pk", "cv"))
    if not due:
        return 0
    ids = [pk for pk, _ in due]
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
    private_files_delete_after_commit([name for _, name in due if name])
    return len(ids)


@transaction.atomic
def applications_anonymise(*, today: datetime.date | None = None) -> int:
    """Anonymise the due applications (see the module's docstring) and audit the count;
    returns how many."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    count = anonymise_applications(applications_due(today), now=now)
    audit_record(
        actor=None,
        action=AUDIT_ACTION,
        summary=f"Retention: anonymised {count} unsuccessful application(s)",
        data={
            "applications": count,
            "application_months": settings.RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS,
        },
    )
    return count
