"""Mobility reports, every figure computed in SQL (conditional counts, counted
subqueries and EXISTS), in a fixed number of queries whatever the number of rows.

- Secondments per organisation, as home (its people working elsewhere) and as host
  (other partners' people working with it): active now, and completed.
- The talent pool, which every partner shares: people in it now, people who joined after
  an unsuccessful application, people who left (withdrew their consent). A profile its
  owner deleted is gone, and counted nowhere.
- Invitations from the pool: sent; then applied (the invited person sent an application
  for that vacancy); then hired (that application reached "hired"). Invitations are
  refused once someone has applied, so every application counted came after it.

For one organisation: its own secondments and invitations (with each vacancy's figures),
and the pool. For the city (hub admins): every organisation's.
"""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hub.models import Organisation
from talent.models import Application, PoolInvitation, SecondmentAgreement, TalentPoolProfile

Status = SecondmentAgreement.Status

# Each secondment figure of an organisation: (its side of the agreement, the status).
SECONDMENT_FIGURES = {
    "out_active": ("home", Status.ACTIVE),
    "out_completed": ("home", Status.COMPLETED),
    "in_active": ("host", Status.ACTIVE),
    "in_completed": ("host", Status.COMPLETED),
}


def _agreements(side: str, status: str) -> Coalesce:
    """How many agreements have the outer organisation on `side` in `status`."""
    counted = (
        SecondmentAgreement.objects.filter(**{side: OuterRef("pk")}, status=status)
        .order_by()
        .values(side)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _secondment_rows(organisations: QuerySet[Organisation]) -> QuerySet:
    figures = {name: _agreements(*how) for name, how in SECONDMENT_FIGURES.items()}
    return organisations.annotate(**figures).values("id", "name", *figures).order_by("name")


def _pool_figures() -> dict:
    """One aggregate over every profile."""
    in_pool = Q(consent_given_at__isnull=False, consent_withdrawn_at__isnull=True)
    return TalentPoolProfile.objects.aggregate(
        in_pool=Count("pk", filter=in_pool),
        after_rejection=Count(
            "pk",
            filter=Q(
                consent_given_at__isnull=False,
                joined=TalentPoolProfile.Joined.AFTER_REJECTION,
            ),
        ),
        left=Count("pk", filter=Q(consent_withdrawn_at__isnull=False)),
    )


def _application(**conditions) -> Exists:
    """An application sent for the invitation's vacancy by the person invited."""
    return Exists(
        Application.objects.filter(
            vacancy=OuterRef("vacancy"),
            candidate=OuterRef("profile__user"),
            submitted_at__isnull=False,
            **conditions,
        )
    )


def _funnel() -> dict:
    return {
        "sent": Count("pk"),
        "applied": Count("pk", filter=_application()),
        "hired": Count("pk", filter=_application(stage=Application.Stage.HIRED)),
    }


def _with_rates(row: dict) -> dict:
    """The row with the share of invitations that led to an application, and of those
    applications that led to a hire, as whole percentages (None when nothing to divide)."""
    return {
        **row,
        "applied_rate": round(100 * row["applied"] / row["sent"]) if row["sent"] else None,
        "hired_rate": round(100 * row["hired"] / row["applied"]) if row["applied"] else None,
    }


def organisation_report(organisation: Organisation) -> dict:
    """One organisation's figures, in 4 queries: its secondments, the pool, its
    invitations and its invitations per vacancy."""
    invitations = PoolInvitation.objects.filter(organisation=organisation)
    return {
        "secondments": list(_secondment_rows(Organisation.objects.filter(pk=organisation.pk))),
        "pool": _pool_figures(),
        "invitations": {
            "total": _with_rates(invitations.aggregate(**_funnel())),
            "by_vacancy": [
                _with_rates(row)
                for row in invitations.values(
                    "vacancy_id", label=F("vacancy__title"), reference=F("vacancy__reference")
                )
                .annotate(**_funnel())
                .order_by("label", "vacancy_id")
            ],
        },
    }


def city_report() -> dict:
    """Every organisation's figures, for hub admins, in 5 queries: secondments in total
    and per organisation (those with any), the pool, invitations in total and per
    organisation."""
    with_secondments = Q(secondees_out__status__in=(Status.ACTIVE, Status.COMPLETED)) | Q(
        secondees_in__status__in=(Status.ACTIVE, Status.COMPLETED)
    )
    organisations = Organisation.objects.filter(
        pk__in=Organisation.objects.filter(with_secondments).values("pk")
    )
    return {
        "secondments": {
            "total": SecondmentAgreement.objects.aggregate(
                active=Count("pk", filter=Q(status=Status.ACTIVE)),
                completed=Count("pk", filter=Q(status=Status.COMPLETED)),
            ),
            "by_organisation": list(_secondment_rows(organisations)),
        },
        "pool": _pool_figures(),
        "invitations": {
            "total": _with_rates(PoolInvitation.objects.aggregate(**_funnel())),
            "by_organisation": [
                _with_rates(row)
                for row in PoolInvitation.objects.values(
                    "organisation_id", label=F("organisation__name")
                )
                .annotate(**_funnel())
                .order_by("label", "organisation_id")
            ],
        },
    }
