"""Writes for partners and people. Each runs in a transaction, checks its rules, saves,
writes the audit row and schedules its emails after commit."""

import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from hub import emails
from hub.models import AuditEvent, Invitation, Membership, Organisation, User

ORGANISATION_EDITABLE_FIELDS = (
    "name",
    "kind",
    "ods_code",
    "description",
    "website",
    "address",
    "postcode",
    "logo",
    "vacancies_need_approval",
)


def audit_record(
    *,
    actor: User | None,
    action: str,
    summary: str,
    organisation: Organisation | None = None,
    obj: Model | None = None,
    data: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        data=data or {},
    )


def audit_record_view(
    *,
    actor: User,
    organisation: Organisation,
    obj: Model,
    action: str,
    summary: str,
    data: dict | None = None,
) -> AuditEvent:
    """Write down that a member of staff, acting for `organisation`, opened a page showing
    one person's record (`obj`): one row per page view. The summary names the record by
    its kind, never by the person's name or email, so that erasing the person never
    needs the audit log to change."""
    return audit_record(
        actor=actor,
        organisation=organisation,
        obj=obj,
        action=action,
        summary=summary,
        data=data,
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, actor: User | None = None, **fields
) -> Organisation:
    organisation = Organisation(name=name, kind=kind, slug=_unique_slug(name), **fields)
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=organisation,
        action="organisation.created",
        summary=f"Created {organisation}",
    )
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **changes) -> Organisation:
    unknown = set(changes) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changed = [field for field, value in changes.items() if getattr(organisation, field) != value]
    for field in changed:
        setattr(organisation, field, changes[field])
    organisation.full_clean()
    organisation.save()
    if changed:
        audit_record(
            actor=actor,
            organisation=organisation,
            obj=organisation,
            action="organisation.updated",
            summary=f"Updated the profile of {organisation}",
            data={"fields": sorted(changed)},
        )
    return organisation


@transaction.atomic
def membership_create(
    *, organisation: Organisation, user: User, role: str, actor: User | None = None
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    if created:
        audit_record(
            actor=actor,
            organisation=organisation,
            obj=membership,
            action="membership.created",
            summary=f"Added a member as {membership.get_role_display()}",
            data={"user_id": user.pk},
        )
    return membership


def _ensure_another_admin_remains(membership: Membership) -> None:
    if membership.role != Membership.Role.ADMIN:
        return
    others = (
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError(
            "An organisation must keep at least one admin. Make someone else an admin first."
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError("Choose a role from the list.")
    if role == membership.role:
        return membership
    if role != Membership.Role.ADMIN:
        _ensure_another_admin_remains(membership)
    previous = membership.get_role_display()
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=membership,
        action="membership.role_changed",
        summary=f"Changed a member's role: {previous} → {membership.get_role_display()}",
        data={"user_id": membership.user_id},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    _ensure_another_admin_remains(membership)
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=membership,
        action="membership.removed",
        summary=f"Removed a member ({membership.get_role_display()})",
        data={"user_id": membership.user_id},
    )
    membership.delete()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, invited_by: User
) -> Invitation:
    """Invite someone by email. A newer invitation to the same address replaces an older
    pending one; people who are already members are not invited again."""
    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Choose a role from the list."})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of {organisation}."})
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=invited_by,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + settings.INVITATION_VALID_FOR,
    )
    audit_record(
        actor=invited_by,
        organisation=organisation,
        obj=invitation,
        action="invitation.created",
        summary=f"Invited someone by email as {invitation.get_role_display()}",
    )
    emails.email_invitation(invitation=invitation, token=token)
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a token belongs to, whatever its state, or None."""
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _lock_open_invitation(invitation: Invitation) -> Invitation:
    locked = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    )
    if locked.accepted_at is not None:
        raise ValidationError("This invitation has already been used.")
    if locked.revoked_at is not None:
        raise ValidationError("This invitation was withdrawn. Ask for a new one.")
    if locked.is_expired:
        raise ValidationError("This invitation has expired. Ask for a new one.")
    return locked


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the organisation as the invited role. Works once, before expiry, and only
    for the account with the invited email address."""
    invitation = _lock_open_invitation(invitation)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            f"This invitation is for {invitation.email}. Sign out and sign in as that address."
        )
    existing = Membership.objects.filter(organisation=invitation.organisation, user=user).first()
    membership = existing or membership_create(
        organisation=invitation.organisation,
        user=user,
        role=invitation.role,
        actor=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    # The invitation arrived at this address, so the address is proven.
    EmailAddress.objects.filter(user=user, email__iexact=invitation.email).update(verified=True)
    audit_record(
        actor=user,
        organisation=invitation.organisation,
        obj=invitation,
        action="invitation.accepted",
        summary=f"Accepted the invitation to join {invitation.organisation}",
    )
    return membership


@transaction.atomic
def invitation_accept_new_account(*, invitation: Invitation, name: str, password: str) -> User:
    """Create the invited person's account (email already proven by the invitation) and
    accept the invitation with it."""
    invitation = _lock_open_invitation(invitation)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=invitation.email, password=password, name=name)
    except IntegrityError:
        raise ValidationError(
            "An account with this email address already exists. Sign in to accept."
        ) from None
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            organisation=invitation.organisation,
            obj=invitation,
            action="invitation.revoked",
            summary=f"Withdrew an invitation to join as {invitation.get_role_display()}",
        )
    return invitation


def invitations_purge_expired() -> int:
    """Delete invitations that expired unused more than a week ago."""
    cutoff = timezone.now() - settings.INVITATION_VALID_FOR
    deleted, _ = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff).delete()
    return deleted
