"""Reads for secondments. Every query is narrowed to the acting organisation in SQL:
opportunities to those it may see (`SecondmentOpportunity.objects.open_to`), interests to
those its own staff expressed (the home side) or those made to its opportunities (the
host side), agreements to those it is home or host of. Anything else is a 404, the same
answer as "does not exist". Counts for the overview are made in SQL, so each page runs a
fixed number of queries whatever the rows."""

import datetime

from django.db.models import Count, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hub.access import Capability, can
from hub.models import Membership, Organisation, User
from talent.models import (
    SecondmentAgreement,
    SecondmentApprover,
    SecondmentInterest,
    SecondmentOpportunity,
)

AgreementStatus = SecondmentAgreement.Status
InterestStatus = SecondmentInterest.Status
OpportunityStatus = SecondmentOpportunity.Status

# Agreements still to run or running; completed and cancelled ones are only counted.
LIVE_STATUSES = (
    AgreementStatus.PROPOSED,
    AgreementStatus.HOME_APPROVED,
    AgreementStatus.HOST_APPROVED,
    AgreementStatus.ACTIVE,
)


# --- Who approves -------------------------------------------------------------------------


def may_approve(membership: Membership | None) -> bool:
    """Admins of the organisation, and the people it named, release its staff and approve
    its side of agreements."""
    if membership is None:
        return False
    if membership.role == Membership.Role.ADMIN:
        return True
    return SecondmentApprover.objects.filter(
        organisation_id=membership.organisation_id, user_id=membership.user_id
    ).exists()


def approvers_of(organisation_id) -> QuerySet[User]:
    """Everyone who may approve for the organisation: its admins and its named approvers
    who are still active members (one query)."""
    named = SecondmentApprover.objects.filter(organisation_id=organisation_id).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__organisation_id=organisation_id, memberships__role=Membership.Role.ADMIN)
            | Q(memberships__organisation_id=organisation_id, pk__in=named)
        )
        .distinct()
        .order_by("name", "email")
    )


def named_approvers(organisation: Organisation) -> QuerySet[SecondmentApprover]:
    return (
        SecondmentApprover.objects.filter(organisation=organisation)
        .select_related("user", "named_by")
        .order_by("user__name", "user__email")
    )


def approver_candidates(organisation: Organisation) -> QuerySet[User]:
    """Members of the organisation who are not admins (they approve already) and not named
    yet."""
    named = SecondmentApprover.objects.filter(organisation=organisation).values("user_id")
    return (
        User.objects.filter(is_active=True, memberships__organisation=organisation)
        .exclude(memberships__organisation=organisation, memberships__role=Membership.Role.ADMIN)
        .exclude(pk__in=named)
        .order_by("name", "email")
    )


def approver_for(membership: Membership, approver_id) -> SecondmentApprover:
    approver = (
        SecondmentApprover.objects.filter(
            organisation_id=membership.organisation_id, pk=approver_id
        )
        .select_related("user")
        .first()
    )
    if approver is None:
        raise Http404("No such approver")
    return approver


# --- Opportunities ------------------------------------------------------------------------


def _interest_counts():
    return {
        "interests_count": Count(
            "interests", filter=~Q(interests__status=InterestStatus.WITHDRAWN)
        ),
        "waiting_count": Count("interests", filter=Q(interests__status=InterestStatus.EXPRESSED)),
        "released_count": Count("interests", filter=Q(interests__status=InterestStatus.RELEASED)),
        "selected_count": Count("interests", filter=Q(interests__status=InterestStatus.SELECTED)),
    }


def opportunity_lists(membership: Membership) -> dict[str, list[SecondmentOpportunity]]:
    """{"theirs": other partners' open opportunities this organisation's staff may see and
    still express interest in, "ours": the organisation's own} in one query. HR staff see
    every one of their own (drafts and closed too), with interest counts; other members
    only the open ones. `my_interest` is the signed-in person's interest status, if any."""
    organisation_id = membership.organisation_id
    today = timezone.localdate()
    own = Q(host_id=organisation_id)
    if not can(membership, Capability.MANAGE_MOBILITY):
        own &= Q(status=OpportunityStatus.OPEN)
    mine = SecondmentInterest.objects.filter(
        opportunity_id=OuterRef("pk"), person_id=membership.user_id
    ).values("status")[:1]
    opportunities = (
        SecondmentOpportunity.objects.open_to(organisation_id)
        .filter(own | (~Q(host_id=organisation_id) & Q(closing_date__gte=today)))
        .select_related("host", "staff_group")
        .defer("description", "backfill")
        .annotate(my_interest=mine, **_interest_counts())
        .order_by("closing_date", "title", "pk")
    )
    lists = {"theirs": [], "ours": []}
    for opportunity in opportunities:
        lists["ours" if opportunity.host_id == organisation_id else "theirs"].append(opportunity)
    return lists


def opportunity_for(membership: Membership, opportunity_id) -> SecondmentOpportunity:
    """One opportunity the organisation may see: another partner's open one (open to
    every partner, or to this organisation by name), or its own (drafts and closed ones
    for HR staff only). 404 otherwise."""
    opportunity = (
        SecondmentOpportunity.objects.open_to(membership.organisation_id)
        .select_related("host", "staff_group", "contact")
        .filter(pk=opportunity_id)
        .first()
    )
    if opportunity is None:
        raise Http404("No such opportunity")
    is_own = opportunity.host_id == membership.organisation_id
    if (
        is_own
        and opportunity.status != OpportunityStatus.OPEN
        and not can(membership, Capability.MANAGE_MOBILITY)
    ):
        raise Http404("No such opportunity")
    return opportunity


def hosted_opportunity(membership: Membership, opportunity_id) -> SecondmentOpportunity:
    """One of the organisation's own opportunities; 404 for anyone else's."""
    opportunity = (
        SecondmentOpportunity.objects.filter(host_id=membership.organisation_id, pk=opportunity_id)
        .select_related("host", "staff_group", "contact")
        .first()
    )
    if opportunity is None:
        raise Http404("No such opportunity")
    return opportunity


def eligible_organisations(opportunity: SecondmentOpportunity) -> QuerySet[Organisation]:
    return opportunity.eligible_organisations.order_by("name")


def opportunity_interests(opportunity: SecondmentOpportunity) -> QuerySet[SecondmentInterest]:
    """Every interest in the opportunity, for its host: who, from where, in what state,
    and the agreement a selection made."""
    return (
        opportunity.interests.select_related("person", "home", "home_decided_by", "agreement")
        .order_by("created_at")
        .all()
    )


def person_interest_in(opportunity: SecondmentOpportunity, user) -> SecondmentInterest | None:
    return SecondmentInterest.objects.filter(opportunity=opportunity, person=user).first()


# --- Interests ----------------------------------------------------------------------------


def home_interest(membership: Membership, interest_id) -> SecondmentInterest:
    """An interest one of the organisation's own staff expressed (it is their home);
    404 otherwise."""
    interest = (
        SecondmentInterest.objects.filter(home_id=membership.organisation_id, pk=interest_id)
        .select_related("person", "home", "opportunity__host", "opportunity__staff_group")
        .first()
    )
    if interest is None:
        raise Http404("No such interest")
    return interest


def received_interest(membership: Membership, interest_id) -> SecondmentInterest:
    """An interest in one of the organisation's own opportunities (it is the host); 404
    otherwise."""
    interest = (
        SecondmentInterest.objects.filter(
            opportunity__host_id=membership.organisation_id, pk=interest_id
        )
        .select_related("person", "home", "opportunity__host", "opportunity__staff_group")
        .first()
    )
    if interest is None:
        raise Http404("No such interest")
    return interest


# --- Agreements ---------------------------------------------------------------------------


def _agreements() -> QuerySet[SecondmentAgreement]:
    return SecondmentAgreement.objects.select_related("home", "host", "person", "opportunity")


def agreement_for(membership: Membership, agreement_id) -> SecondmentAgreement:
    """One agreement, for its home or its host only; 404 for every other organisation."""
    organisation_id = membership.organisation_id
    agreement = (
        _agreements()
        .select_related(
            "proposed_by", "home_approved_by", "host_approved_by", "opportunity__contact"
        )
        .filter(Q(home_id=organisation_id) | Q(host_id=organisation_id), pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise Http404("No such agreement")
    return agreement


# --- The overview -------------------------------------------------------------------------


def secondment_overview(organisation: Organisation) -> dict:
    """Everything the organisation's secondments page shows, in four queries: counts of
    secondees out and in by status, the live agreements each way, interests its staff
    expressed that wait for its release, and its open and draft opportunities with their
    interest counts."""
    out, in_ = Q(home=organisation), Q(host=organisation)
    counts = SecondmentAgreement.objects.filter(out | in_).aggregate(
        **{
            f"out_{status}": Count("pk", filter=out & Q(status=status))
            for status in AgreementStatus
        },
        **{
            f"in_{status}": Count("pk", filter=in_ & Q(status=status)) for status in AgreementStatus
        },
    )
    by_status = [
        {
            "status": status,
            "label": status.label,
            "out": counts[f"out_{status}"],
            "with_us": counts[f"in_{status}"],
        }
        for status in AgreementStatus
    ]
    live = list(
        _agreements()
        .filter(out | in_, status__in=LIVE_STATUSES)
        .order_by("starts_on", "created_at")
    )
    waiting = list(
        SecondmentInterest.objects.filter(home=organisation, status=InterestStatus.EXPRESSED)
        .select_related("person", "opportunity__host")
        .order_by("created_at")
    )
    opportunities = list(
        SecondmentOpportunity.objects.filter(
            host=organisation, status__in=(OpportunityStatus.DRAFT, OpportunityStatus.OPEN)
        )
        .select_related("staff_group")
        .defer("description", "backfill")
        .annotate(**_interest_counts())
        .order_by("closing_date", "title", "pk")
    )
    return {
        "by_status": by_status,
        "totals": {
            "out": sum(row["out"] for row in by_status),
            "with_us": sum(row["with_us"] for row in by_status),
        },
        "out": [agreement for agreement in live if agreement.home_id == organisation.pk],
        "with_us": [agreement for agreement in live if agreement.host_id == organisation.pk],
        "waiting_for_release": waiting,
        "opportunities": opportunities,
    }


# --- The person's own ---------------------------------------------------------------------


def person_interests(user) -> QuerySet[SecondmentInterest]:
    return (
        SecondmentInterest.objects.filter(person=user)
        .select_related("home", "opportunity__host", "agreement")
        .order_by("-created_at")
    )


def person_agreements(user) -> QuerySet[SecondmentAgreement]:
    return (
        _agreements()
        .select_related("home_approved_by", "host_approved_by")
        .filter(person=user)
        .order_by("-starts_on", "-created_at")
    )


def person_interest(user, interest_id) -> SecondmentInterest:
    """One of the signed-in person's own interests; 404 for anyone else's."""
    interest = (
        SecondmentInterest.objects.filter(person=user, pk=interest_id)
        .select_related("opportunity__host")
        .first()
    )
    if interest is None:
        raise Http404("No such interest")
    return interest


# --- Reminders ----------------------------------------------------------------------------


def agreements_due_end_reminder(today: datetime.date, days: int) -> QuerySet[SecondmentAgreement]:
    """Active agreements ending within `days` from `today` (and not ended yet) whose
    reminder has not gone: catching up when a daily run was missed."""
    return SecondmentAgreement.objects.filter(
        status=AgreementStatus.ACTIVE,
        end_reminder_sent_at__isnull=True,
        ends_on__gte=today,
        ends_on__lte=today + datetime.timedelta(days=days),
    ).order_by("ends_on", "pk")
