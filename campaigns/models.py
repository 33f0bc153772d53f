"""Community recruitment campaigns: the neighbourhoods they aim at, the campaigns and their
events, the residents met (with their consent to be contacted), each resident's journey
through a campaign, the tracking links on posters, and imports of paper sign-up sheets.

The funnel of a campaign (engaged, attended, applied, outcomes) is never stored: it is
counted in SQL from engagements and event bookings (see `campaigns.selectors.funnel`).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from hub.models import Organisation, TimeStampedModel
from talent.models import Application, StaffGroup, Vacancy


class Neighbourhood(models.Model):
    """Reference data kept by hub admins. A resident's postcode sector places them in
    one neighbourhood; its Index of Multiple Deprivation decile (1 = the most deprived
    tenth of England) is what reports of equity of reach group by."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    ward = models.CharField(max_length=100)
    imd_decile = models.PositiveSmallIntegerField(
        "IMD decile",
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Index of Multiple Deprivation decile: 1 is the most deprived 10%.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(imd_decile__gte=1, imd_decile__lte=10),
                name="campaigns_neighbourhood_decile_1_to_10",
            )
        ]

    def __str__(self):
        return self.name


class PostcodeSector(models.Model):
    """A postcode sector ("LS12 1": outward code, space, first digit of the inward code)
    and the one neighbourhood it lies in."""

    sector = models.CharField(max_length=8, unique=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="postcode_sectors"
    )

    class Meta:
        ordering = ["sector"]

    def __str__(self):
        return self.sector


class CampaignQuerySet(models.QuerySet):
    def visible_to_organisation(self, organisation_id):
        """Campaigns the organisation leads or is a partner in."""
        partner = Campaign.partner_organisations.through.objects.filter(
            campaign_id=OuterRef("pk"), organisation_id=organisation_id
        )
        return self.filter(Q(lead_organisation_id=organisation_id) | Exists(partner))

    def public(self):
        return self.filter(is_public=True)


class Campaign(TimeStampedModel):
    """A recruitment campaign run by a lead organisation with partners, aimed at named
    neighbourhoods, with goals for each stage of its funnel."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(
        blank=True, help_text="Shown on the campaign's public page: who it is for and why."
    )
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_campaigns"
    )
    partner_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partner_campaigns",
        help_text="Partners see the campaign's residents, run its events and record journeys.",
    )
    neighbourhoods = models.ManyToManyField(Neighbourhood, related_name="campaigns")
    starts_on = models.DateField()
    ends_on = models.DateField()
    target_roles = models.TextField(
        blank=True, help_text="The roles the campaign recruits for, in plain words."
    )
    target_staff_groups = models.ManyToManyField(StaffGroup, blank=True, related_name="+")
    vacancies = models.ManyToManyField(
        Vacancy, blank=True, related_name="campaigns", help_text="Vacancies it recruits for."
    )
    goal_engaged = models.PositiveIntegerField("goal: people engaged", null=True, blank=True)
    goal_attended = models.PositiveIntegerField("goal: people at an event", null=True, blank=True)
    goal_applied = models.PositiveIntegerField("goal: people applying", null=True, blank=True)
    goal_outcomes = models.PositiveIntegerField(
        "goal: people into a job, training or support", null=True, blank=True
    )
    is_public = models.BooleanField(
        "has a public page", default=True, help_text="Its page and events can be found."
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaigns_campaign_ends_after"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaign_public:campaign", kwargs={"slug": self.slug})


class EventQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(status=Event.Status.SCHEDULED, ends_at__gte=timezone.now())

    def public(self):
        return self.filter(campaign__is_public=True)


class Event(TimeStampedModel):
    """A school visit, community-centre session, webinar, work-experience day or
    employability course: a place and time with a capacity and a waiting list."""

    class Kind(models.TextChoices):
        SCHOOL_VISIT = "school_visit", "School visit"
        COMMUNITY_SESSION = "community_session", "Community-centre session"
        WEBINAR = "webinar", "Employment webinar"
        WORK_EXPERIENCE = "work_experience", "Work-experience day"
        EMPLOYABILITY_COURSE = "employability_course", "Employability course"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The partner running the event.",
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue_name = models.CharField(max_length=150, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    online_url = models.URLField("online joining link", blank=True)
    capacity = models.PositiveIntegerField(help_text="Places; more sign-ups join a waiting list.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="campaigns_event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="campaigns_event_has_a_place"
            ),
            models.CheckConstraint(
                condition=~Q(venue_name="") | ~Q(online_url=""),
                name="campaigns_event_has_a_venue_or_link",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="campaigns_event_when")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaign_public:event", kwargs={"event_id": self.pk})

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue_name


class ResidentQuerySet(models.QuerySet):
    def with_consent(self):
        """Residents whose consent to be contacted stands now."""
        return self.filter(
            Exists(ContactConsent.objects.filter(resident=OuterRef("pk"), withdrawn_at=None))
        )


class Resident(TimeStampedModel):
    """A person met through a campaign. Contact details are personal data: they are
    emailed only while their consent stands (`ContactConsent`), and the retention job
    anonymises them while keeping the neighbourhood, so report figures stay."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField("full name", max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField("phone number", max_length=30, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        help_text="From the postcode sector.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_records",
        help_text="Their account, once they apply for a job.",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index("email", name="campaigns_resident_email", condition=~Q(email="")),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Kept in lower case, so matching a person by email is an indexed equality.
        self.email = self.email.lower()
        super().save(*args, **kwargs)


class ContactConsent(models.Model):
    """Consent to be contacted, with the exact words the person agreed to and when.
    Withdrawing keeps the row (the record that consent was given and taken back); at most
    one consent stands at a time."""

    class CapturedBy(models.TextChoices):
        OUTREACH = "outreach", "Met in the community"
        EVENT_SIGN_UP = "event_sign_up", "Signed up for an event"
        PAPER_SHEET = "paper_sheet", "Paper sign-up sheet"
        STAFF = "staff", "Recorded by staff"
        APPLICATION = "application", "Applied through a campaign"

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    wording = models.TextField(help_text="The words the person agreed to.")
    given_at = models.DateTimeField(default=timezone.now)
    captured_by = models.CharField(max_length=16, choices=CapturedBy.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(withdrawn_at=None),
                name="campaigns_one_standing_consent",
            )
        ]

    def __str__(self):
        return f"Consent of {self.resident} given {self.given_at:%d %b %Y}"


class TrackingLink(TimeStampedModel):
    """A short link (and its QR code) for a poster, leaflet or event: visitors who follow
    it and then apply have the code on their application, which attributes it."""

    class Destination(models.TextChoices):
        CAMPAIGN = "campaign", "The campaign's page"
        VACANCY = "vacancy", "A vacancy"
        JOB_SEARCH = "job_search", "Job search"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    label = models.CharField(max_length=100, help_text="Where it is used, like a poster site.")
    code = models.CharField(
        max_length=40, help_text="Letters, digits and hyphens; people may type it in any case."
    )
    destination = models.CharField(
        max_length=12, choices=Destination.choices, default=Destination.CAMPAIGN
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    visits = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(destination="vacancy", vacancy__isnull=False)
                | (~Q(destination="vacancy") & Q(vacancy__isnull=True)),
                name="campaigns_link_vacancy_destination",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Za-z0-9-]{1,40}$"),
                name="campaigns_link_code_characters",
            ),
            # Unique whatever the case, and the index `code__iexact` lookups use.
            models.UniqueConstraint(Upper("code"), name="campaigns_link_code_unique_any_case"),
        ]

    def __str__(self):
        return f"{self.label} ({self.code})"

    def get_absolute_url(self):
        return reverse("campaign_public:link", kwargs={"code": self.code})


class Engagement(TimeStampedModel):
    """One resident's journey through one campaign: engaged, referred for one-to-one
    support, referred to a partner programme, applied, and the outcome. Attending an event
    is not stored here: it is their attended booking at one of the campaign's events."""

    class Channel(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face in the community"
        SCHOOL = "school", "At a school"
        ONLINE = "online", "Online"
        REFERRAL = "referral", "Referred by another service"

    class Programme(models.TextChoices):
        CARE_ACADEMY = "care_academy", "A care academy"
        EMPLOYABILITY_COURSE = "employability_course", "An employability course"
        VOLUNTEERING = "volunteering", "A volunteering route"
        APPRENTICESHIP = "apprenticeship", "An apprenticeship"

    class Outcome(models.TextChoices):
        STARTED_JOB = "started_job", "Started a job"
        STARTED_TRAINING = "started_training", "Started training"
        EMPLOYABILITY_SUPPORT = "employability_support", "Employability support"
        VOLUNTEERING = "volunteering", "Volunteering"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="engagements")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="engagements")
    engaged_on = models.DateField(default=timezone.localdate)
    channel = models.CharField("how they were engaged", max_length=16, choices=Channel.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The partner that recorded them.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tracking_link = models.ForeignKey(
        TrackingLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referred_for_support_on = models.DateField(
        "referred for one-to-one support on", null=True, blank=True
    )
    programme = models.CharField(
        "referred to", max_length=24, choices=Programme.choices, blank=True
    )
    programme_referred_on = models.DateField("referred to the programme on", null=True, blank=True)
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_engagements",
        help_text="Their application on Workforce Hub, linked when they apply.",
    )
    applied_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(
        "outcome began on", null=True, blank=True, help_text="The first day of the job or course."
    )
    left_on = models.DateField(
        "left the job on", null=True, blank=True, help_text="For retention at 3, 6 and 12 months."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-engaged_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "resident"], name="campaigns_one_engagement_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome_on__isnull=False),
                name="campaigns_outcome_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(programme="") | Q(programme_referred_on__isnull=False),
                name="campaigns_programme_referral_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(application__isnull=True) | Q(applied_on__isnull=False),
                name="campaigns_linked_application_has_a_date",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "engaged_on"], name="campaigns_engagement_when"),
        ]

    def __str__(self):
        return f"{self.resident} in {self.campaign}"


class EventBooking(TimeStampedModel):
    """A resident's place at an event, or their place in its waiting list (earliest
    first). Attendance is marked by staff; for an employability course, completing it."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bookings")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(max_length=10, choices=Status.choices)
    waiting_since = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(
        null=True, blank=True, help_text="When a freed place moved them off the waiting list."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_course = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "resident"], name="campaigns_one_booking_per_event"
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(waiting_since__isnull=False),
                name="campaigns_waiting_has_a_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["event", "status", "waiting_since"], name="campaigns_booking_queue"
            ),
            models.Index(
                fields=["resident", "event"],
                condition=Q(attended=True),
                name="campaigns_booking_attended",
            ),
        ]

    def __str__(self):
        return f"{self.resident} at {self.event}"


class ResidentImport(TimeStampedModel):
    """A CSV of paper sign-up sheets, checked before anything is written: the rows that
    can be imported and the rows refused, with reasons. Confirming imports every accepted
    row in one transaction; the held rows are then cleared."""

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked, waiting to be confirmed"
        IMPORTED = "imported", "Imported"
        DISCARDED = "discarded", "Discarded"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="imports")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=120)
    consent_wording = models.TextField(help_text="The consent words printed on the sheets.")
    accepted_rows = models.JSONField(default=list, blank=True)
    refused_rows = models.JSONField(
        default=list, blank=True, help_text="Line numbers and reasons only: no personal data."
    )
    accepted_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} for {self.campaign}"
