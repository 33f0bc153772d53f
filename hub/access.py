"""The one place that decides what a signed-in person may see and do for an organisation.

Every staff view resolves its organisation through `organisation_view` (or
`membership_for`), and every organisation-owned queryset is narrowed with `scoped` or
fetched with `get_for_membership`. Outsiders get 404, the same answer as "does not exist",
so they learn nothing; members without the capability get 403. The hub admins' pages
(`hub_admin_view`) answer the same way: 404 to anyone signed in who is not a hub admin.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from hub.models import Membership

Role = Membership.Role
ACTING_ORGANISATION_SESSION_KEY = "acting_organisation_id"


class Capability(StrEnum):
    VIEW_ORGANISATION = "view_organisation"
    EDIT_ORGANISATION = "edit_organisation"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_VACANCIES = "manage_vacancies"
    APPROVE_VACANCIES = "approve_vacancies"
    MANAGE_APPLICATIONS = "manage_applications"
    SEARCH_TALENT_POOL = "search_talent_pool"
    MANAGE_MOBILITY = "manage_mobility"
    MANAGE_PORTABILITY = "manage_portability"
    SIGN_FRAMEWORK = "sign_framework"
    MANAGE_CAMPAIGNS = "manage_campaigns"
    RECORD_OUTREACH = "record_outreach"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_REPORTS = "view_reports"


_HR_CAPABILITIES = frozenset(
    {
        Capability.VIEW_ORGANISATION,
        Capability.MANAGE_VACANCIES,
        Capability.MANAGE_APPLICATIONS,
        Capability.SEARCH_TALENT_POOL,
        Capability.MANAGE_MOBILITY,
        Capability.MANAGE_PORTABILITY,
        Capability.MANAGE_CAMPAIGNS,
        Capability.RECORD_OUTREACH,
        Capability.VIEW_REPORTS,
    }
)

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.STAFF: _HR_CAPABILITIES,
    Role.OUTREACH: frozenset({Capability.VIEW_ORGANISATION, Capability.RECORD_OUTREACH}),
}


def can(membership: Membership | None, capability: Capability) -> bool:
    return membership is not None and capability in ROLE_CAPABILITIES[membership.role]


def require(membership: Membership, capability: Capability) -> None:
    if not can(membership, capability):
        raise PermissionDenied(f"Your role cannot {capability.value.replace('_', ' ')}.")


def memberships_for(user) -> QuerySet[Membership]:
    """The active organisations a person acts for, organisation loaded."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, organisation__active=True).select_related(
        "organisation"
    )


def membership_for(
    user, org_slug: str, capability: Capability | None = None, *, memberships=None
) -> Membership:
    """The person's membership of the organisation named in the URL: 404 for outsiders,
    403 for members whose role lacks the capability. `memberships`, when the request has
    already loaded them, saves a query."""
    if memberships is None:
        memberships = memberships_for(user)
    membership = next((m for m in memberships if m.organisation.slug == org_slug), None)
    if membership is None:
        raise Http404("No such organisation")
    if capability is not None:
        require(membership, capability)
    return membership


def needs_two_factor(user, memberships=None) -> bool:
    """Hub admins and every member of a partner organisation must use two-factor.
    `memberships`, when the request has already loaded them, saves a query."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(memberships) if memberships is not None else user.memberships.exists()


def organisation_view(capability: Capability = Capability.VIEW_ORGANISATION):
    """Decorate a view taking `org_slug`: sets `request.membership` and
    `request.organisation`, makes that organisation the acting one, or answers 404/403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, org_slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(
                request.user, org_slug, capability, memberships=request.memberships
            )
            request.membership = membership
            request.organisation = membership.organisation
            request.acting_membership = membership
            if request.session.get(ACTING_ORGANISATION_SESSION_KEY) != membership.organisation_id:
                request.session[ACTING_ORGANISATION_SESSION_KEY] = membership.organisation_id
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def hub_admin_view(view):
    """Decorate a page of the hub admins (`user.is_staff`), outside any organisation:
    anyone else signed in gets 404, as for an organisation they are not a member of."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapper


def scoped(queryset: QuerySet, membership: Membership, field: str = "organisation") -> QuerySet:
    """Narrow an organisation-owned queryset to the member's organisation, in SQL."""
    return queryset.filter(**{field: membership.organisation_id})


def get_for_membership(
    queryset: QuerySet, membership: Membership, *, field: str = "organisation", **lookup
):
    """Fetch one organisation-owned object, or 404 when it belongs to someone else."""
    return get_object_or_404(scoped(queryset, membership, field), **lookup)


def get_for_owner(queryset: QuerySet, user, *, field: str = "user", **lookup):
    """Fetch one object that belongs to the signed-in person (their application, their
    saved search), or 404 when it is someone else's."""
    if not user.is_authenticated:
        raise Http404("Not found")
    return get_object_or_404(queryset.filter(**{field: user}), **lookup)
