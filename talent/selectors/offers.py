"""Reads for offers: an application of the organisation with its offer, and where the
offer stands (which checks are recorded, missing or not satisfactory) for the HR and
candidate panels."""

from dataclasses import dataclass, field

from django.db.models import Q

from hub.access import get_for_membership
from hub.models import Membership
from talent.models import Application, Offer, PreEmploymentCheck

Stage = Application.Stage
Kind = PreEmploymentCheck.Kind
Outcome = PreEmploymentCheck.Outcome
CLEARED = {Outcome.PASSED, Outcome.NOT_NEEDED}


def application_for_offer(membership: Membership, application_id) -> Application:
    """A submitted application to one of the organisation's vacancies, or 404. Only what
    the offer pages show is loaded: no statement, answers or monitoring."""
    return get_for_membership(
        Application.objects.filter(~Q(stage=Stage.DRAFT))
        .select_related("vacancy__organisation")
        .only(
            "id",
            "stage",
            "full_name",
            "anonymised_at",
            "stage_changed_at",
            "submitted_at",
            "vacancy__id",
            "vacancy__title",
            "vacancy__reference",
            "vacancy__closing_date",
            "vacancy__organisation__id",
            "vacancy__organisation__name",
            "vacancy__organisation__slug",
        ),
        membership,
        field="vacancy__organisation",
        pk=application_id,
    )


@dataclass
class CheckRow:
    kind: str
    label: str
    check: PreEmploymentCheck | None = None

    @property
    def done(self) -> bool:
        """Recorded as satisfactory or not needed: what the candidate sees as done."""
        return self.check is not None and self.check.outcome in CLEARED

    @property
    def failed(self) -> bool:
        return self.check is not None and self.check.outcome == Outcome.FAILED


@dataclass
class OfferProgress:
    """Where an application's offer stands, in two queries (the offer, its checks)."""

    application: Application
    offer: Offer | None
    checks: list[CheckRow] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [row.label for row in self.checks if row.check is None]

    @property
    def failed(self) -> list[str]:
        return [row.label for row in self.checks if row.failed]

    @property
    def done_count(self) -> int:
        return sum(row.done for row in self.checks)

    @property
    def is_unconditional(self) -> bool:
        return self.offer is not None and self.offer.unconditional_at is not None

    @property
    def can_make_offer(self) -> bool:
        return self.application.stage == Stage.INTERVIEW

    @property
    def checks_open(self) -> bool:
        """Checks may be recorded: a conditional offer at offer or checks stage."""
        return (
            self.offer is not None
            and not self.is_unconditional
            and self.application.stage in {Stage.OFFER, Stage.PRE_EMPLOYMENT}
        )

    @property
    def can_start_checks(self) -> bool:
        return self.checks_open and self.application.stage == Stage.OFFER

    @property
    def ready_for_unconditional(self) -> bool:
        return self.checks_open and not self.missing and not self.failed

    @property
    def can_hire(self) -> bool:
        return self.is_unconditional and self.application.stage == Stage.PRE_EMPLOYMENT

    @property
    def can_change_start_date(self) -> bool:
        return self.is_unconditional and self.application.stage == Stage.HIRED


def offer_progress(application: Application) -> OfferProgress:
    if Application.offer.is_cached(application):
        offer = getattr(application, "offer", None)
    else:
        offer = (
            Offer.objects.filter(application_id=application.pk)
            .select_related("conditional_by", "unconditional_by")
            .first()
        )
    recorded = {}
    if offer is not None:
        recorded = {
            check.kind: check
            for check in PreEmploymentCheck.objects.filter(
                application_id=application.pk
            ).select_related("checked_by")
        }
    return OfferProgress(
        application=application,
        offer=offer,
        checks=[CheckRow(kind.value, kind.label, recorded.get(kind.value)) for kind in Kind],
    )
