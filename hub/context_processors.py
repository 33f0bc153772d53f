from hub.access import Capability, can


def portal(request):
    """What every page needs to show who is signed in and for which organisation."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    acting = request.acting_membership or None
    return {
        "acting_membership": acting,
        "memberships": request.memberships,
        "can_manage_members": can(acting, Capability.MANAGE_MEMBERS),
        "can_edit_organisation": can(acting, Capability.EDIT_ORGANISATION),
        "can_manage_vacancies": can(acting, Capability.MANAGE_VACANCIES),
        "can_search_talent_pool": can(acting, Capability.SEARCH_TALENT_POOL),
        "can_manage_mobility": can(acting, Capability.MANAGE_MOBILITY),
        "can_view_reports": can(acting, Capability.VIEW_REPORTS),
        "can_manage_portability": can(acting, Capability.MANAGE_PORTABILITY),
        "can_manage_campaigns": can(acting, Capability.MANAGE_CAMPAIGNS),
        "can_record_outreach": can(acting, Capability.RECORD_OUTREACH),
        "can_view_audit_log": can(acting, Capability.VIEW_AUDIT_LOG),
    }
