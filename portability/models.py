"""The Staff Portability Framework: its versioned terms, the organisations that signed
it, mobilisations when a member has critical service need, requests for staff, offers of
named staff, the checks before a deployment and the deployments themselves."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from hub.models import Organisation, TimeStampedModel


class FrameworkVersion(TimeStampedModel):
    """One version of the framework's terms. Organisations sign a version; the newest
    published one is what new signatories accept."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200, default="Staff Portability Framework")
    terms = models.TextField(help_text="The full text organisations agree to.")
    published_at = models.DateTimeField(null=True, blank=True)
    raiser_may_activate = models.BooleanField(
        "the raising organisation may activate its own mobilisations",
        default=False,
        help_text="Otherwise a hub admin activates each mobilisation.",
    )

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"{self.title}, version {self.number}"


class SignatoryQuerySet(models.QuerySet):
    def current(self):
        return self.filter(withdrawn_at__isnull=True)


class Signatory(TimeStampedModel):
    """An organisation's signature of a version. Withdrawing keeps the row: the history
    of who signed what, and when they left, stays."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="framework_signatures"
    )
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Hears of every mobilisation and answers for the organisation.",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Hears of every mobilisation when the lead is away.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawal_reason = models.CharField(max_length=500, blank=True)

    objects = SignatoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "signatories"
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="portability_one_current_signature",
            ),
            models.CheckConstraint(
                condition=~Q(lead=F("deputy")), name="portability_lead_is_not_deputy"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} signed version {self.version.number}"


class Mobilisation(TimeStampedModel):
    class Status(models.TextChoices):
        RAISED = "raised", "Raised, waiting for activation"
        ACTIVE = "active", "Active"
        STOOD_DOWN = "stood_down", "Stood down"
        DECLINED = "declined", "Not activated"

    class Urgency(models.TextChoices):
        CRITICAL = "critical", "Critical: staff needed within 24 hours"
        HIGH = "high", "High: staff needed within 72 hours"
        MODERATE = "moderate", "Moderate: staff needed within two weeks"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="mobilisations",
        help_text="The organisation with the critical service need: the host.",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    service = models.CharField(max_length=200)
    reason = models.TextField()
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    starts_on = models.DateField()
    expected_end_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RAISED)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    stood_down_at = models.DateTimeField(null=True, blank=True)
    stood_down_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status_note = models.CharField(
        max_length=500, blank=True, help_text="Why it was stood down or not activated."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_end_on__gte=F("starts_on")),
                name="portability_mobilisation_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.service} at {self.organisation}"


class RegistrationBody(models.TextChoices):
    NONE = "", "No professional registration needed"
    NMC = "nmc", "Nursing and Midwifery Council (NMC)"
    HCPC = "hcpc", "Health and Care Professions Council (HCPC)"
    GMC = "gmc", "General Medical Council (GMC)"
    SWE = "swe", "Social Work England"
    GPHC = "gphc", "General Pharmaceutical Council (GPhC)"
    GDC = "gdc", "General Dental Council (GDC)"


class DbsLevel(models.TextChoices):
    """Levels of a Disclosure and Barring Service check, lowest first."""

    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred lists"

    @classmethod
    def covers(cls, held: str, needed: str) -> bool:
        """Does a DBS at level `held` meet a role's need for level `needed`?"""
        order = list(cls.values)
        return not needed or (held in order and order.index(held) >= order.index(needed))


class StaffRequest(TimeStampedModel):
    """A request for staff within a mobilisation, shown to every signatory."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FILLED = "filled", "Filled"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mobilisation = models.ForeignKey(
        Mobilisation, on_delete=models.CASCADE, related_name="requests"
    )
    role = models.CharField(max_length=200)
    staff_group = models.ForeignKey("talent.StaffGroup", on_delete=models.PROTECT, related_name="+")
    registration_needed = models.CharField(
        max_length=8, choices=RegistrationBody.choices, blank=True
    )
    dbs_level_needed = models.CharField(
        "DBS level needed", max_length=16, choices=DbsLevel.choices, blank=True
    )
    number_needed = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    shift_pattern = models.CharField(
        max_length=200, help_text="For example: long days, 3 a week, 07:30 to 20:00."
    )
    site = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number_needed__gte=1), name="portability_request_needs_someone"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="portability_request_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.number_needed} × {self.role}"


class StaffOffer(TimeStampedModel):
    """A member organisation offers one named member of its staff for a request, with
    that person's agreement recorded. The host accepts or declines."""

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(StaffRequest, on_delete=models.CASCADE, related_name="offers")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="portability_offers",
        help_text="The home organisation, which employs the person.",
    )
    staff_name = models.CharField(max_length=150)
    staff_email = models.EmailField()
    job_title = models.CharField(max_length=200)
    registration_body = models.CharField(max_length=8, choices=RegistrationBody.choices, blank=True)
    registration_number = models.CharField(max_length=30, blank=True)
    staff_agreed_on = models.DateField(help_text="When the person agreed to be offered.")
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["request", "status"], name="portability_offer_status")]

    def __str__(self):
        return f"{self.staff_name} offered by {self.organisation}"


class Deployment(TimeStampedModel):
    """An accepted offer becoming work: planned, checks complete, active, returned."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        CHECKS_COMPLETE = "checks_complete", "Checks complete"
        ACTIVE = "active", "Active"
        RETURNED = "returned", "Returned"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    offer = models.OneToOneField(StaffOffer, on_delete=models.PROTECT, related_name="deployment")
    home = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    starts_on = models.DateField()
    ends_on = models.DateField()
    started_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    override_reason = models.TextField(
        blank=True, help_text="Why the host's admin started it before the checks were done."
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    days_worked = models.PositiveSmallIntegerField(null=True, blank=True)
    hours_worked = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    recharge_amount = models.DecimalField(
        "recharge due from host to home",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    home_feedback = models.TextField(blank=True)
    host_feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="portability_deployment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(home=F("host")), name="portability_deployment_between_two"
            ),
        ]

    def __str__(self):
        return f"Deployment of {self.offer.staff_name} to {self.host}"


class PreDeploymentChecks(TimeStampedModel):
    """The checks on the person, recorded once by the home organisation (read-only to the
    host), except local induction, which the host records."""

    DbsLevel = DbsLevel

    deployment = models.OneToOneField(Deployment, on_delete=models.CASCADE, related_name="checks")
    identity_checked_on = models.DateField(null=True, blank=True)
    right_to_work_checked_on = models.DateField(null=True, blank=True)
    dbs_level = models.CharField(max_length=16, choices=DbsLevel.choices, blank=True)
    dbs_issued_on = models.DateField(null=True, blank=True)
    registration_body = models.CharField(max_length=8, choices=RegistrationBody.choices, blank=True)
    registration_number = models.CharField(max_length=30, blank=True)
    registration_expires_on = models.DateField(null=True, blank=True)
    mandatory_training_on = models.DateField(null=True, blank=True)
    occupational_health_cleared_on = models.DateField(null=True, blank=True)
    indemnity_confirmed_on = models.DateField(null=True, blank=True)
    home_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    local_induction_on = models.DateField(null=True, blank=True)
    induction_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "pre-deployment checks"

    def __str__(self):
        return f"Checks for {self.deployment_id}"


class CheckAcceptance(TimeStampedModel):
    """Which of another signatory's checks an organisation accepts as they are, and how
    recent they must be (a DBS at the same level within three years, say)."""

    class Check(models.TextChoices):
        IDENTITY = "identity", "Identity"
        RIGHT_TO_WORK = "right_to_work", "Right to work"
        DBS = "dbs", "DBS"
        REGISTRATION = "registration", "Professional registration"
        MANDATORY_TRAINING = "mandatory_training", "Mandatory training"
        OCCUPATIONAL_HEALTH = "occupational_health", "Occupational health"
        INDEMNITY = "indemnity", "Indemnity"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="check_acceptances",
        help_text="The host, which accepts the check.",
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The home organisation whose check is accepted.",
    )
    check_kind = models.CharField("check", max_length=24, choices=Check.choices)
    accepted = models.BooleanField(default=True)
    valid_for_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Accepted when done within this many days; blank for no limit.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "provider", "check_kind"],
                name="portability_one_acceptance_per_check",
            ),
            models.CheckConstraint(
                condition=~Q(organisation=F("provider")),
                name="portability_acceptance_of_another",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} on {self.provider}'s {self.get_check_kind_display()}"
