"""Secondments between partners: the organisation's overview, opportunities (its own and
those other partners open to it), expressions of interest and their release, agreements
with their approvals, and the organisation's named approvers, under
/manage/<org_slug>/secondments/; and a person's own interests and agreements under
/me/secondments/.

Every organisation view resolves the organisation through `organisation_view` (404 for
outsiders, 403 for members without the capability) and fetches through selectors that
narrow to the acting organisation in SQL. Releasing and approving are for the
organisation's admins and named approvers (403 for other members). A POST refused for a
business reason (wrong state, wrong side) goes back with a message saying why.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.access import Capability, can, organisation_view
from hub.forms import add_service_errors, posted_data
from hub.services import audit_record_view
from talent.forms.secondments import (
    ApproverForm,
    CancelForm,
    DeclineForm,
    EndEarlyForm,
    ExtendForm,
    HomeApprovalForm,
    InterestForm,
    OpportunityForm,
    ReleaseForm,
)
from talent.models import SecondmentAgreement, SecondmentInterest, SecondmentOpportunity
from talent.selectors import secondments as selectors
from talent.services import secondments as services

MANAGE = Capability.MANAGE_MOBILITY
InterestStatus = SecondmentInterest.Status
OpportunityStatus = SecondmentOpportunity.Status


def _to(name, request, **kwargs):
    return redirect(f"secondments:{name}", org_slug=request.organisation.slug, **kwargs)


def _problem(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Overview -----------------------------------------------------------------------------


@never_cache
@require_GET
@organisation_view(MANAGE)
def overview(request):
    context = {
        **selectors.secondment_overview(request.organisation),
        "is_approver": selectors.may_approve(request.membership),
        "can_name_approvers": can(request.membership, Capability.MANAGE_MEMBERS),
    }
    return render(request, "talent/secondments/overview.html", context)


# --- Opportunities ------------------------------------------------------------------------


@require_GET
@organisation_view()
def opportunity_list(request):
    context = {
        **selectors.opportunity_lists(request.membership),
        "can_manage": can(request.membership, MANAGE),
    }
    return render(request, "talent/secondments/opportunity_list.html", context)


def _opportunity_form(request, *, opportunity=None):
    form = OpportunityForm(posted_data(request), host=request.organisation, opportunity=opportunity)
    editable = opportunity is None or opportunity.status != OpportunityStatus.CLOSED
    if request.method == "POST" and editable and form.is_valid():
        try:
            if opportunity is None:
                opportunity = services.opportunity_create(
                    host=request.organisation,
                    actor=request.user,
                    membership=request.membership,
                    **form.opportunity_fields(),
                )
                done = "Opportunity saved as a draft. Publish it when it is ready."
            else:
                opportunity = services.opportunity_update(
                    opportunity=opportunity,
                    actor=request.user,
                    membership=request.membership,
                    **form.opportunity_fields(),
                )
                done = "Opportunity saved."
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return _to("opportunity_detail", request, opportunity_id=opportunity.pk)
    context = {"form": form, "opportunity": opportunity, "editable": editable}
    return render(request, "talent/secondments/opportunity_form.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def opportunity_create(request):
    return _opportunity_form(request)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def opportunity_edit(request, opportunity_id):
    return _opportunity_form(
        request, opportunity=selectors.hosted_opportunity(request.membership, opportunity_id)
    )


@never_cache
@require_GET
@organisation_view()
def opportunity_detail(request, opportunity_id):
    opportunity = selectors.opportunity_for(request.membership, opportunity_id)
    is_host = opportunity.host_id == request.organisation.pk
    can_manage = is_host and can(request.membership, MANAGE)
    context = {
        "opportunity": opportunity,
        "is_host": is_host,
        "can_manage": can_manage,
        "eligible": (
            list(selectors.eligible_organisations(opportunity))
            if is_host and not opportunity.open_to_all
            else []
        ),
    }
    if can_manage:
        context["interests"] = list(selectors.opportunity_interests(opportunity))
    elif not is_host:
        interest = selectors.person_interest_in(opportunity, request.user)
        context["my_interest"] = interest
        context["refusal"] = services.interest_refusal(
            opportunity, request.membership, already=interest is not None
        )
    return render(request, "talent/secondments/opportunity_detail.html", context)


def _opportunity_action(request, opportunity_id, service, done):
    opportunity = selectors.hosted_opportunity(request.membership, opportunity_id)
    try:
        service(opportunity=opportunity, actor=request.user, membership=request.membership)
    except ValidationError as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, done)
    return _to("opportunity_detail", request, opportunity_id=opportunity.pk)


@require_POST
@organisation_view(MANAGE)
def opportunity_publish(request, opportunity_id):
    return _opportunity_action(
        request,
        opportunity_id,
        services.opportunity_publish,
        "Published. Staff of the partners it is open to can now express interest.",
    )


@require_POST
@organisation_view(MANAGE)
def opportunity_close(request, opportunity_id):
    return _opportunity_action(
        request,
        opportunity_id,
        services.opportunity_close,
        "Closed to new expressions of interest. You can still select released people.",
    )


# --- Interests ----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view()
def interest_express(request, open_opportunity_id):
    opportunity = selectors.opportunity_for(request.membership, open_opportunity_id)
    interest = selectors.person_interest_in(opportunity, request.user)
    refusal = services.interest_refusal(
        opportunity, request.membership, already=interest is not None
    )
    form = InterestForm(posted_data(request))
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.interest_express(
                opportunity=opportunity,
                person=request.user,
                membership=request.membership,
                statement=form.cleaned_data["statement"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Your interest is sent. {request.organisation.name} decides whether to release "
                "you; you will hear by email.",
            )
            return redirect("my_secondments:list")
    context = {"opportunity": opportunity, "form": form, "refusal": refusal}
    return render(request, "talent/secondments/interest_express.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view()
def interest_release(request, interest_id):
    interest = selectors.home_interest(request.membership, interest_id)
    if not selectors.may_approve(request.membership):
        raise PermissionDenied("Only an admin or a named approver releases staff.")
    form = ReleaseForm(posted_data(request))
    waiting = interest.status == InterestStatus.EXPRESSED
    if request.method == "POST" and waiting and form.is_valid():
        release = form.cleaned_data["decision"] == "release"
        try:
            services.interest_release(
                interest=interest,
                actor=request.user,
                membership=request.membership,
                release=release,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            name = interest.person.name or interest.person.email
            messages.success(
                request,
                f"{name} is released; {interest.opportunity.host.name} has been told."
                if release
                else f"{name} is not released. They have been told why.",
            )
            if can(request.membership, MANAGE):
                return _to("overview", request)
            return _to("interest_release", request, interest_id=interest.pk)
    audit_record_view(
        actor=request.user,
        organisation=request.organisation,
        obj=interest,
        action="secondment_interest.viewed",
        summary=f"Viewed a member of staff's interest in {interest.opportunity.title}",
    )
    context = {"interest": interest, "form": form, "waiting": waiting}
    return render(request, "talent/secondments/interest_release.html", context)


@require_POST
@organisation_view(MANAGE)
def interest_select(request, received_interest_id):
    interest = selectors.received_interest(request.membership, received_interest_id)
    try:
        agreement = services.interest_select(
            interest=interest, actor=request.user, membership=request.membership
        )
    except ValidationError as error:
        messages.error(request, _problem(error))
        return _to("opportunity_detail", request, opportunity_id=interest.opportunity_id)
    messages.success(
        request,
        f"{interest.person.name or interest.person.email} is selected. The agreement now "
        f"waits for {interest.home.name}'s approval, then yours.",
    )
    return _to("agreement_detail", request, agreement_id=agreement.pk)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def interest_decline(request, received_interest_id):
    interest = selectors.received_interest(request.membership, received_interest_id)
    form = DeclineForm(posted_data(request))
    can_decline = interest.status == InterestStatus.RELEASED
    if request.method == "POST" and can_decline and form.is_valid():
        try:
            services.interest_decline(
                interest=interest,
                actor=request.user,
                membership=request.membership,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{interest.person.name or interest.person.email} is not selected. They have "
                "been told by email.",
            )
            return _to("opportunity_detail", request, opportunity_id=interest.opportunity_id)
    context = {"interest": interest, "form": form, "can_decline": can_decline}
    return render(request, "talent/secondments/interest_decline.html", context)


# --- Agreements ---------------------------------------------------------------------------


def _agreement(request, agreement_id) -> SecondmentAgreement:
    """The agreement, for a member of its home or host who manages secondments or
    approves them; 404 for other organisations, 403 for other members."""
    agreement = selectors.agreement_for(request.membership, agreement_id)
    if not (can(request.membership, MANAGE) or selectors.may_approve(request.membership)):
        raise PermissionDenied("Your role cannot see secondment agreements.")
    return agreement


def _back_to(request, agreement):
    return _to("agreement_detail", request, agreement_id=agreement.pk)


@never_cache
@require_GET
@organisation_view()
def agreement_detail(request, agreement_id):
    agreement = _agreement(request, agreement_id)
    audit_record_view(
        actor=request.user,
        organisation=request.organisation,
        obj=agreement,
        action="secondment_agreement.viewed",
        summary=f"Viewed the secondment agreement for {agreement.role_title}",
    )
    is_home = agreement.home_id == request.organisation.pk
    today = timezone.localdate()
    context = {
        "agreement": agreement,
        "is_home": is_home,
        "other": agreement.host if is_home else agreement.home,
        "steps": services.next_steps(agreement, request.membership),
        "approve_form": HomeApprovalForm(
            initial={
                "right_to_return": "yes" if agreement.right_to_return else "no",
                "return_terms": agreement.return_terms,
            }
        ),
        "has_started": agreement.starts_on <= today,
        "has_ended": agreement.ends_on <= today,
    }
    return render(request, "talent/secondments/agreement_detail.html", context)


def _agreement_step(request, agreement_id, service, done):
    agreement = _agreement(request, agreement_id)
    try:
        service(agreement=agreement, actor=request.user, membership=request.membership)
    except ValidationError as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, done)
    return _back_to(request, agreement)


@require_POST
@organisation_view()
def agreement_approve(request, agreement_id):
    """Either side approves here; the home organisation also states the right to return."""
    agreement = _agreement(request, agreement_id)
    if not selectors.may_approve(request.membership):
        raise PermissionDenied("Only an admin or a named approver approves secondments.")
    fields = {}
    if agreement.home_id == request.organisation.pk:
        form = HomeApprovalForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return _back_to(request, agreement)
        fields = form.approval_fields()
    try:
        services.agreement_approve(
            agreement=agreement, actor=request.user, membership=request.membership, **fields
        )
    except ValidationError as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, "Approved. Everyone concerned is told.")
    return _back_to(request, agreement)


@require_POST
@organisation_view(MANAGE)
def agreement_activate(request, agreement_id):
    return _agreement_step(
        request, agreement_id, services.agreement_activate, "The secondment is now active."
    )


@require_POST
@organisation_view(MANAGE)
def agreement_complete(request, agreement_id):
    return _agreement_step(
        request, agreement_id, services.agreement_complete, "The secondment is completed."
    )


def _agreement_form(request, agreement_id, *, form_class, action, service, template, done):
    """A page with a form for one step (extend, end early, cancel), shown only when the
    step is open to the member."""
    agreement = _agreement(request, agreement_id)
    form = form_class(posted_data(request))
    allowed = action in services.next_steps(agreement, request.membership)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            service(
                agreement=agreement,
                actor=request.user,
                membership=request.membership,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return _back_to(request, agreement)
    context = {"agreement": agreement, "form": form, "allowed": allowed}
    return render(request, template, context)


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def agreement_extend(request, agreement_id):
    return _agreement_form(
        request,
        agreement_id,
        form_class=ExtendForm,
        action="extend",
        service=services.agreement_extend,
        template="talent/secondments/agreement_extend.html",
        done="The secondment is extended. Everyone concerned is told.",
    )


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def agreement_end_early(request, agreement_id):
    return _agreement_form(
        request,
        agreement_id,
        form_class=EndEarlyForm,
        action="end_early",
        service=services.agreement_end_early,
        template="talent/secondments/agreement_end_early.html",
        done="The early end is recorded and the secondment is completed.",
    )


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def agreement_cancel(request, agreement_id):
    return _agreement_form(
        request,
        agreement_id,
        form_class=CancelForm,
        action="cancel",
        service=services.agreement_cancel,
        template="talent/secondments/agreement_cancel.html",
        done="The agreement is cancelled. Everyone concerned is told.",
    )


# --- Approvers ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@organisation_view(Capability.MANAGE_MEMBERS)
def approvers(request):
    organisation = request.organisation
    form = ApproverForm(
        posted_data(request), candidates=selectors.approver_candidates(organisation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            approver = services.approver_add(
                organisation=organisation,
                user=form.cleaned_data["user"],
                actor=request.user,
                membership=request.membership,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{approver.user.name or approver.user.email} can now release staff and "
                "approve secondments.",
            )
            return _to("approvers", request)
    context = {"form": form, "approvers": list(selectors.named_approvers(organisation))}
    return render(request, "talent/secondments/approvers.html", context)


@require_POST
@organisation_view(Capability.MANAGE_MEMBERS)
def approver_remove(request, approver_id):
    approver = selectors.approver_for(request.membership, approver_id)
    services.approver_remove(approver=approver, actor=request.user, membership=request.membership)
    messages.success(
        request, f"{approver.user.name or approver.user.email} no longer approves secondments."
    )
    return _to("approvers", request)


# --- The person's own ---------------------------------------------------------------------


@never_cache
@require_GET
def my_secondments(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context = {
        "interests": list(selectors.person_interests(request.user)),
        "agreements": list(selectors.person_agreements(request.user)),
        "withdrawable": (InterestStatus.EXPRESSED, InterestStatus.RELEASED),
    }
    return render(request, "talent/secondments/my_secondments.html", context)


@require_POST
def my_interest_withdraw(request, interest_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    interest = selectors.person_interest(request.user, interest_id)
    try:
        services.interest_withdraw(interest=interest, person=request.user)
    except ValidationError as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, f"Your interest in {interest.opportunity.title} is withdrawn.")
    return redirect("my_secondments:list")
