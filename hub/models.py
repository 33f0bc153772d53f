"""Partners and people: organisations, their members, invitations, the audit log, the
email outbox that every part of the portal sends through, and report exports."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from hub.uploads import private_storage


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: candidate, resident, partner staff or hub admin. Email is the login.

    `is_staff` marks a hub admin (Django admin access); it says nothing about partner
    organisations, whose access comes from `Membership`.
    """

    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=150, blank=True)
    is_staff = models.BooleanField(
        "hub admin",
        default=False,
        help_text="Can sign in to the Django admin and hub dashboards.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="hub_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Organisation(TimeStampedModel):
    """A partner of the hub: the tenant that owns vacancies, applicants and staff."""

    class Kind(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        PRIMARY_CARE = "primary_care", "Primary care / GP practice"
        GP_CONFEDERATION = "gp_confederation", "GP confederation"
        CARE_PROVIDER = "care_provider", "Independent care provider"
        VCSE = "vcse", "Voluntary, community or social enterprise"
        EDUCATION = "education", "Education"
        NATIONAL_BODY = "national_body", "National body"
        ICB = "icb", "Integrated care board"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    ods_code = models.CharField(
        "NHS ODS code",
        max_length=10,
        blank=True,
        help_text="Organisation Data Service code, where the organisation has one.",
    )
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    logo = models.ImageField(upload_to="logos/", blank=True)
    vacancies_need_approval = models.BooleanField(
        "vacancies need an admin's approval",
        default=False,
        help_text="Staff submit vacancies for approval; an admin publishes them.",
    )
    active = models.BooleanField(default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"],
                condition=~Q(ods_code=""),
                name="hub_organisation_ods_code_unique",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hub:organisation_dashboard", kwargs={"org_slug": self.slug})


class Membership(TimeStampedModel):
    """A person's place in an organisation; the role decides what they may do there."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Organisation admin"
        STAFF = "staff", "HR staff"
        OUTREACH = "outreach", "Outreach worker"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STAFF)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="hub_membership_one_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Not accepted, not revoked and not expired: the only invitations that work."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(TimeStampedModel):
    """An email invitation to join an organisation. One use; expires.

    Only a SHA-256 hash of the token is stored: the token itself exists only in the email.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="hub_invitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="hub_invitation_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"Invitation for {self.email} to {self.organisation}"

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_open(self):
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


class AuditEvent(models.Model):
    """Who did what to which record, when. Written by services; never edited.

    Append-only in the database (migration 0004): a trigger refuses UPDATE, DELETE and
    TRUNCATE, except the UPDATE that deleting a user or an organisation makes to set
    `actor` or `organisation` to NULL. Summaries name records by kind and id, never a
    person's name or email, so erasing a person never needs a row to change."""

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="hub_audit_org_created"),
            models.Index(fields=["object_type", "object_id"], name="hub_audit_object"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"


class OutboundEmail(models.Model):
    """One email the portal has decided to send, written in the same transaction as the
    event that causes it and marked sent exactly once (see hub.outbox)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    kind = models.CharField(max_length=64, help_text="The named email that produced this row.")
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(
        default=dict, blank=True, help_text="Extra headers, such as List-Unsubscribe."
    )
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text="Small text attachments (iCalendar invitations): filename, content, mimetype.",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending"),
                name="hub_outbox_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="hub_outbox_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.kind} to {self.to} ({self.get_status_display()})"


class ReportExportQuerySet(models.QuerySet):
    def for_organisation(self, organisation_id):
        """An organisation's exports, or the city's (hub admins') with None."""
        if organisation_id is None:
            return self.filter(organisation__isnull=True)
        return self.filter(organisation_id=organisation_id)


class ReportExport(models.Model):
    """A CSV or Excel file of report tables someone asked for. Small ones are written
    during the request; larger ones by a Celery task that counts its rows as it goes, so
    the page can show progress. The file is private and expires: the row stays as a
    record of what was exported, by whom, when (see hub.export_services)."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx), a sheet per table"
        CSV = "csv", "CSV, the tables one after another"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        BUILDING = "building", "Being built"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_exports",
        help_text="Empty for the city's figures, exported by a hub admin.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    table_keys = models.JSONField(
        default=list, help_text="Keys of hub.report_tables.REGISTRY, in the order written."
    )
    format = models.CharField(max_length=8, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to="exports/", blank=True)
    filename = models.CharField(max_length=120, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    objects = ReportExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="hub_export_org_created"),
            models.Index(
                fields=["expires_at"], condition=Q(status="ready"), name="hub_export_ready_expiry"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")),
                name="hub_export_done_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready")
                | Q(expires_at__isnull=False, finished_at__isnull=False),
                name="hub_export_ready_has_expiry",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_format_display()} export of {len(self.table_keys)} tables ({self.status})"
        )

    @property
    def percent_done(self) -> int:
        if self.status in (self.Status.READY, self.Status.EXPIRED):
            return 100
        if not self.rows_total:
            return 0
        return min(100, 100 * self.rows_done // self.rows_total)

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )
