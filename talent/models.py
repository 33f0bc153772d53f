"""Jobs and the people who apply for them: vacancies of every partner, applications with
their stage history, screening answers, equality monitoring kept apart, candidate
profiles and saved searches that become job alerts."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from hub.models import Organisation, TimeStampedModel
from hub.uploads import private_storage


class StaffGroup(models.Model):
    """Reference data kept by hub admins: the NHS staff groups, plus social care."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class FairRoute(models.TextChoices):
    """Named routes into work whose candidates a vacancy may guarantee an interview."""

    EMPLOYABILITY = "employability", "A community employability programme"
    REDEPLOYMENT = "redeployment", "Redeployment from a partner organisation"
    CARE_LEAVER = "care_leaver", "Care leaver"
    ARMED_FORCES = "armed_forces", "Armed forces (veteran, reservist or partner)"


class VacancyQuerySet(models.QuerySet):
    def published(self):
        """Live on the public site: published, not past its closing date, and from an
        organisation that is still a partner."""
        return self.filter(
            status=Vacancy.Status.PUBLISHED,
            closing_date__gte=timezone.localdate(),
            organisation__active=True,
        )


class Vacancy(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"
        FILLED = "filled", "Filled"

    class Band(models.TextChoices):
        """Agenda for Change pay bands; blank means a non-AfC pay range."""

        BAND_1 = "1", "Band 1"
        BAND_2 = "2", "Band 2"
        BAND_3 = "3", "Band 3"
        BAND_4 = "4", "Band 4"
        BAND_5 = "5", "Band 5"
        BAND_6 = "6", "Band 6"
        BAND_7 = "7", "Band 7"
        BAND_8A = "8a", "Band 8a"
        BAND_8B = "8b", "Band 8b"
        BAND_8C = "8c", "Band 8c"
        BAND_8D = "8d", "Band 8d"
        BAND_9 = "9", "Band 9"

    class SalaryPeriod(models.TextChoices):
        YEAR = "year", "a year"
        MONTH = "month", "a month"
        WEEK = "week", "a week"
        DAY = "day", "a day"
        HOUR = "hour", "an hour"

    class ContractType(models.TextChoices):
        PERMANENT = "permanent", "Permanent"
        FIXED_TERM = "fixed_term", "Fixed term"
        BANK = "bank", "Bank"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"
        SECONDMENT = "secondment", "Secondment"
        ROTATION = "rotation", "Rotation"
        VOLUNTEERING = "volunteering", "Volunteering"
        WORK_EXPERIENCE = "work_experience", "Work experience"

    class WorkingPattern(models.TextChoices):
        FULL_TIME = "full_time", "Full time"
        PART_TIME = "part_time", "Part time"
        FLEXIBLE = "flexible", "Flexible working"
        NIGHTS = "nights", "Nights"
        WEEKENDS = "weekends", "Weekends"
        TERM_TIME = "term_time", "Term time"
        COMPRESSED = "compressed", "Compressed hours"

    class ApplicationAlerts(models.TextChoices):
        IMMEDIATELY = "immediately", "An email for each new application"
        DAILY = "daily", "A daily digest"
        NONE = "none", "No emails"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="vacancies"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    reference = models.CharField(
        max_length=40, blank=True, help_text="Your own reference, for example 123-ABC-456."
    )
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="+")
    band = models.CharField(
        "Agenda for Change band", max_length=2, choices=Band.choices, blank=True
    )
    pay_scale = models.CharField(
        "pay scale",
        max_length=100,
        blank=True,
        help_text="For roles not on Agenda for Change, for example 'Council grade C'.",
    )
    salary_min = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    salary_period = models.CharField(
        max_length=8, choices=SalaryPeriod.choices, default=SalaryPeriod.YEAR
    )
    contract_type = models.CharField(max_length=20, choices=ContractType.choices)
    working_patterns = ArrayField(
        models.CharField(max_length=20, choices=WorkingPattern.choices), default=list
    )
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    site = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10)
    postcode_district = models.CharField(
        max_length=4, editable=False, help_text="The outward code, for example LS9."
    )
    closing_date = models.DateField()
    entry_level = models.BooleanField("no experience needed", default=False)
    apprenticeship = models.BooleanField(default=False)
    trial_shift_available = models.BooleanField(default=False)
    disability_confident = models.BooleanField("Disability Confident employer", default=False)
    visa_sponsorship = models.BooleanField("visa sponsorship available", default=False)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences shown in the search results."
    )
    description = models.TextField()
    essential_criteria = models.TextField(blank=True)
    desirable_criteria = models.TextField(blank=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who hears about new applications.",
    )
    application_alerts = models.CharField(
        max_length=12, choices=ApplicationAlerts.choices, default=ApplicationAlerts.IMMEDIATELY
    )
    anonymised_shortlisting = models.BooleanField(
        default=False,
        help_text="Hide applicants' names, contact details and monitoring until shortlisted.",
    )
    guaranteed_interview_routes = ArrayField(
        models.CharField(max_length=20, choices=FairRoute.choices),
        default=list,
        blank=True,
        help_text="Applicants from these routes who meet the essential criteria are "
        "guaranteed an interview.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("description", weight="C", config="english")
        + SearchVector("essential_criteria", weight="D", config="english")
        + SearchVector("desirable_criteria", weight="D", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "vacancies"
        ordering = ["-published_at", "-created_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="talent_vacancy_search_gin"),
            GinIndex(fields=["working_patterns"], name="talent_vacancy_patterns_gin"),
            models.Index(
                fields=["closing_date"],
                condition=Q(status="published"),
                name="talent_vacancy_live_closing",
            ),
            models.Index(fields=["postcode_district"], name="talent_vacancy_district"),
            models.Index(fields=["organisation", "status"], name="talent_vacancy_org_status"),
            # "Similar jobs": a staff group's newest live vacancies, without sorting all.
            models.Index(
                F("staff_group"),
                F("published_at").desc(nulls_last=True),
                condition=Q(status="published"),
                name="talent_vacancy_live_group_new",
            ),
            # Job alerts and the search's default order: the newest live vacancies.
            models.Index(
                F("published_at").desc(nulls_last=True),
                condition=Q(status="published"),
                name="talent_vacancy_live_newest",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_max__gte=F("salary_min")),
                name="talent_vacancy_salary_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | Q(hours_per_week__gt=0, hours_per_week__lte=48),
                name="talent_vacancy_hours_within_week",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.closing_date >= timezone.localdate()
            and self.organisation.active
        )

    def get_working_patterns_display(self) -> list[str]:
        labels = dict(self.WorkingPattern.choices)
        return [labels.get(value, value) for value in self.working_patterns]


class ScreeningQuestion(models.Model):
    """A question every applicant for the vacancy answers, in order."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class CandidateProfile(TimeStampedModel):
    """What a candidate keeps to prefill their applications."""

    class RightToWork(models.TextChoices):
        YES = "yes", "Yes, I have the right to work in the UK"
        NEEDS_SPONSORSHIP = "needs_sponsorship", "No, I would need visa sponsorship"
        NOT_SURE = "not_sure", "I am not sure"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_profile"
    )
    phone = models.CharField("phone number", max_length=30, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    right_to_work = models.CharField(max_length=20, choices=RightToWork.choices, blank=True)

    def __str__(self):
        return f"Profile of {self.user}"


class RejectionReason(models.TextChoices):
    NOT_ESSENTIAL = "not_essential", "Does not meet the essential criteria"
    OTHERS_STRONGER = "others_stronger", "Other applicants met the criteria better"
    INTERVIEW = "interview", "Not successful at interview"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend the interview"
    CHECKS = "checks", "Pre-employment checks not satisfactory"
    OFFER_DECLINED = "offer_declined", "Declined the offer"
    VACANCY_WITHDRAWN = "vacancy_withdrawn", "The vacancy was withdrawn"
    OTHER = "other", "Another reason"


def postcode_sector(postcode: str) -> str:
    """A full, normalised postcode's sector: "LS12 3AB" → "LS12 3"."""
    return postcode.strip()[:-2].strip()


class Application(TimeStampedModel):
    class Stage(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SCREENING = "screening", "Screening"
        SHORTLISTED = "shortlisted", "Shortlisted"
        INTERVIEW = "interview", "Interview"
        OFFER = "offer", "Offer"
        PRE_EMPLOYMENT = "pre_employment", "Pre-employment checks"
        HIRED = "hired", "Hired"
        REJECTED = "rejected", "Unsuccessful"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Source(models.TextChoices):
        JOB_SEARCH = "job_search", "Searching on Workforce Hub"
        JOB_ALERT = "job_alert", "A job alert email"
        CAMPAIGN = "campaign", "A community event or campaign"
        SOCIAL_MEDIA = "social_media", "Social media"
        FRIEND = "friend", "A friend, family member or colleague"
        JOBCENTRE = "jobcentre", "Jobcentre Plus or an employment adviser"
        EDUCATION = "education", "A school, college or university"
        OTHER = "other", "Somewhere else"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="applications",
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    full_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField("phone number", max_length=30, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # The postcode without its last two letters ("LS12 3"), kept when the application is
    # anonymised so equity of reach by neighbourhood counts it still (see save()).
    postcode_sector = models.CharField(max_length=8, blank=True, editable=False)
    supporting_statement = models.TextField(blank=True)
    cv = models.FileField("CV", storage=private_storage, upload_to="cvs/", blank=True)
    cv_filename = models.CharField("CV file name", max_length=120, blank=True)
    right_to_work = models.CharField(
        max_length=20, choices=CandidateProfile.RightToWork.choices, blank=True
    )
    reasonable_adjustments = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, blank=True)
    campaign_code = models.CharField(max_length=40, blank=True)
    fair_route = models.CharField(
        "route into work",
        max_length=20,
        choices=FairRoute.choices,
        blank=True,
        help_text="The candidate's own answer; a vacancy may guarantee these an interview.",
    )
    meets_essential_criteria = models.BooleanField(
        null=True, blank=True, help_text="The recruiter's judgement at screening."
    )
    duplicate_key = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text="Normalised name and phone number, to spot one person applying twice.",
    )
    rejection_reason = models.CharField(max_length=32, choices=RejectionReason.choices, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    contact_notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the vacancy's contact heard of it."
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "candidate"], name="talent_application_one_per_candidate"
            ),
            models.CheckConstraint(
                condition=Q(stage="draft") | Q(submitted_at__isnull=False),
                name="talent_application_submitted_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["vacancy", "stage"], name="talent_application_stage"),
            models.Index(
                fields=["vacancy", "duplicate_key"],
                condition=~Q(duplicate_key=""),
                name="talent_application_duplicates",
            ),
            # The hired applications, which campaign funnels count as jobs.
            models.Index(
                fields=["id"], condition=Q(stage="hired"), name="talent_application_hired"
            ),
        ]

    def __str__(self):
        return f"{self.full_name or 'Applicant'} for {self.vacancy}"

    def save(self, *args, **kwargs):
        # The sector is written with the postcode and outlives it: anonymising blanks the
        # postcode with an UPDATE that leaves the sector, so the figures stay as they were.
        if self.postcode:
            self.postcode_sector = postcode_sector(self.postcode)
            if kwargs.get("update_fields") is not None and "postcode" in kwargs["update_fields"]:
                kwargs["update_fields"] = {*kwargs["update_fields"], "postcode_sector"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("candidate:application", kwargs={"application_id": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.stage == self.Stage.DRAFT

    @property
    def is_open(self) -> bool:
        """Still in play: neither finished with nor withdrawn."""
        return self.stage not in {self.Stage.HIRED, self.Stage.REJECTED, self.Stage.WITHDRAWN}


class ApplicationAnswer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ScreeningQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="talent_answer_one_per_question"
            ),
        ]

    def __str__(self):
        return f"Answer to {self.question_id}"


class StageChange(models.Model):
    """Every move of an application, with who made it and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    from_stage = models.CharField(max_length=20, choices=Application.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Application.Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.from_stage or 'new'} → {self.to_stage}"


class EqualityMonitoring(models.Model):
    """Optional equal-opportunities answers, kept apart from the application: no view for
    recruiters shows them, and reports use them only in aggregate."""

    PREFER_NOT_TO_SAY = ("prefer_not_to_say", "Prefer not to say")

    class AgeBand(models.TextChoices):
        UNDER_20 = "under_20", "Under 20"
        FROM_20 = "20_29", "20 to 29"
        FROM_30 = "30_39", "30 to 39"
        FROM_40 = "40_49", "40 to 49"
        FROM_50 = "50_59", "50 to 59"
        FROM_60 = "60_plus", "60 or over"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class YesNo(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class EthnicGroup(models.TextChoices):
        """The five broad groups of the 2021 Census in England and Wales."""

        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Another ethnic group"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class Religion(models.TextChoices):
        NONE = "none", "No religion"
        BUDDHIST = "buddhist", "Buddhist"
        CHRISTIAN = "christian", "Christian"
        HINDU = "hindu", "Hindu"
        JEWISH = "jewish", "Jewish"
        MUSLIM = "muslim", "Muslim"
        SIKH = "sikh", "Sikh"
        OTHER = "other", "Another religion or belief"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    class SexualOrientation(models.TextChoices):
        STRAIGHT = "straight", "Straight or heterosexual"
        GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
        BISEXUAL = "bisexual", "Bisexual"
        OTHER = "other", "Another sexual orientation"
        PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="monitoring"
    )
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)
    gender_same_as_birth = models.CharField(
        "gender identity the same as the sex registered at birth",
        max_length=20,
        choices=YesNo.choices,
        blank=True,
    )
    ethnic_group = models.CharField(max_length=20, choices=EthnicGroup.choices, blank=True)
    disability = models.CharField(max_length=20, choices=YesNo.choices, blank=True)
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    sexual_orientation = models.CharField(
        max_length=20, choices=SexualOrientation.choices, blank=True
    )

    class Meta:
        verbose_name = "equality monitoring answers"
        verbose_name_plural = "equality monitoring answers"

    def __str__(self):
        return "Equality monitoring answers"


class SavedSearch(TimeStampedModel):
    """A job search a candidate saved; new matching vacancies reach them by email."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=1000, blank=True, help_text="The search's URL parameters.")
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    active = models.BooleanField(default=True)
    last_sent_at = models.DateTimeField(
        default=timezone.now, help_text="Vacancies published after this are new to the alert."
    )
    unsubscribe_token = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "saved searches"
        indexes = [
            models.Index(
                fields=["frequency", "last_sent_at"],
                condition=Q(active=True),
                name="talent_savedsearch_due",
            ),
        ]

    def __str__(self):
        return self.name

    def get_search_url(self) -> str:
        url = reverse("jobs:search")
        return f"{url}?{self.query}" if self.query else url


class ApplicationNote(TimeStampedModel):
    """An internal note by the recruiting organisation; never shown to the candidate."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note on {self.application_id}"


class Slot(TimeStampedModel):
    """A time on a vacancy that candidates can take: an interview or a trial shift."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(
        max_length=300, blank=True, help_text="Where to go: building, room and address."
    )
    video_link = models.URLField(blank=True)
    capacity = models.PositiveSmallIntegerField(default=1)
    notes = models.CharField(max_length=500, blank=True, help_text="Shown to the candidate.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.vacancy} at {self.starts_at:%Y-%m-%d %H:%M}"


def _slot_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(ends_at__gt=F("starts_at")), name=f"{prefix}_ends_after_start"
        ),
        models.CheckConstraint(condition=Q(capacity__gte=1), name=f"{prefix}_has_capacity"),
        models.CheckConstraint(
            condition=~Q(location="") | ~Q(video_link=""), name=f"{prefix}_has_a_place"
        ),
    ]


class InterviewSlot(Slot):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="interview_slots")

    class Meta(Slot.Meta):
        abstract = False
        constraints = _slot_constraints("talent_interviewslot")


class InterviewBooking(TimeStampedModel):
    """An application's interview: the slot it takes. One per application; rebooking
    moves it to another slot."""

    slot = models.ForeignKey(InterviewSlot, on_delete=models.PROTECT, related_name="bookings")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="interview"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Interview of {self.application_id}"


class TrialShiftSlot(Slot):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="trial_shifts")

    class Meta(Slot.Meta):
        abstract = False
        constraints = _slot_constraints("talent_trialshiftslot")


class TrialShiftRequest(TimeStampedModel):
    """A candidate asking to try a shift in the job; HR confirms or declines."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slot = models.ForeignKey(TrialShiftSlot, on_delete=models.PROTECT, related_name="requests")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trial_shift_requests"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    message = models.TextField(blank=True, help_text="What the candidate would like to know.")
    phone = models.CharField(max_length=30, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "candidate"], name="talent_trialshift_one_request_per_slot"
            ),
        ]

    def __str__(self):
        return f"Trial shift request {self.pk}"


class Offer(TimeStampedModel):
    """The job offer: conditional first, unconditional once every check is done, then
    the start date."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="offer")
    terms = models.TextField(blank=True, help_text="Salary, hours and anything agreed.")
    conditional_at = models.DateTimeField(default=timezone.now)
    conditional_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    unconditional_at = models.DateTimeField(null=True, blank=True)
    unconditional_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    start_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(unconditional_at__isnull=True)
                | Q(unconditional_at__gte=F("conditional_at")),
                name="talent_offer_unconditional_after_conditional",
            ),
        ]

    def __str__(self):
        return f"Offer for {self.application_id}"


class PreEmploymentCheck(TimeStampedModel):
    """One of the NHS Employment Check Standards, recorded with when and by whom."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", "Identity"
        RIGHT_TO_WORK = "right_to_work", "Right to work"
        DBS = "dbs", "Criminal record (DBS)"
        REGISTRATION = "registration", "Professional registration"
        REFERENCES = "references", "Employment references"
        OCCUPATIONAL_HEALTH = "occupational_health", "Occupational health"

    class Outcome(models.TextChoices):
        PASSED = "passed", "Satisfactory"
        NOT_NEEDED = "not_needed", "Not needed for this role"
        FAILED = "failed", "Not satisfactory"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    checked_on = models.DateField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    detail = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example the DBS level, or the register and number checked.",
    )

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], name="talent_check_one_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} check"


class HiringTargets(TimeStampedModel):
    """An organisation's time-to-hire targets, in days. The NHS measures time to hire
    against eight weeks from the closing date to the unconditional offer."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="hiring_targets"
    )
    closing_to_unconditional_days = models.PositiveSmallIntegerField(default=56)
    submitted_days = models.PositiveSmallIntegerField("days to start screening", default=5)
    screening_days = models.PositiveSmallIntegerField("days in screening", default=5)
    shortlisted_days = models.PositiveSmallIntegerField(
        "days from shortlisting to interview", default=14
    )
    interview_days = models.PositiveSmallIntegerField("days from interview to offer", default=5)
    offer_days = models.PositiveSmallIntegerField(
        "days from conditional offer to checks under way", default=5
    )
    pre_employment_days = models.PositiveSmallIntegerField(
        "days for pre-employment checks", default=21
    )
    due_within_days = models.PositiveSmallIntegerField(
        default=2, help_text="An application is marked due this many days before a target."
    )

    class Meta:
        verbose_name_plural = "hiring targets"

    def __str__(self):
        return f"Hiring targets of {self.organisation}"


class OrganisationEmailTemplate(TimeStampedModel):
    """An organisation's own wording of an email to candidates. Placeholders in double
    braces ({{ candidate_name }}, {{ vacancy_title }}, ...) are filled in when sent."""

    class Kind(models.TextChoices):
        REJECTION = "rejection", "Application unsuccessful"
        INTERVIEW_INVITATION = "interview_invitation", "Invitation to interview"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="email_templates"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="talent_email_template_one_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} email of {self.organisation}"


# --- Mobility between partners: secondments, rotations, career pathways, the talent pool ---


class Arrangement(models.TextChoices):
    """Who pays the person while they work for the host (as in the Civil Service rules)."""

    LOAN = "loan", "Loan: the host pays the person directly"
    SECONDMENT = "secondment", "Secondment: the home organisation pays and recharges the host"


class SecondmentOpportunityQuerySet(models.QuerySet):
    def open_to(self, organisation_id):
        """Open opportunities another partner may see: open to every partner, or to
        this organisation by name. A host always sees its own, whatever their state."""
        named = SecondmentOpportunity.eligible_organisations.through.objects.filter(
            secondmentopportunity_id=models.OuterRef("pk"), organisation_id=organisation_id
        )
        return self.filter(
            Q(host_id=organisation_id)
            | (
                Q(status=SecondmentOpportunity.Status.OPEN)
                & (Q(open_to_all=True) | models.Exists(named))
            )
        )


class SecondmentOpportunity(TimeStampedModel):
    """A role a host organisation offers for a fixed time to staff of other partners."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open to expressions of interest"
        CLOSED = "closed", "Closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    host = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="secondment_opportunities"
    )
    title = models.CharField("role", max_length=200)
    staff_group = models.ForeignKey(StaffGroup, on_delete=models.PROTECT, related_name="+")
    band = models.CharField(
        "Agenda for Change band", max_length=2, choices=Vacancy.Band.choices, blank=True
    )
    description = models.TextField()
    starts_on = models.DateField()
    duration_months = models.PositiveSmallIntegerField(
        "duration in months", help_text="Typically 3 to 24 months."
    )
    closing_date = models.DateField(help_text="Expressions of interest close at the end of it.")
    open_to_all = models.BooleanField(
        "open to every partner",
        default=True,
        help_text="Otherwise only staff of the partners chosen below can see it.",
    )
    eligible_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name="partners who may apply"
    )
    arrangement = models.CharField(max_length=12, choices=Arrangement.choices)
    recharge = models.CharField(
        "recharge",
        max_length=200,
        blank=True,
        help_text="For a secondment: what the host repays, e.g. 100% of salary and on-costs.",
    )
    backfill = models.TextField(
        "backfill", blank=True, help_text="How the home organisation can cover the post."
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = SecondmentOpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["closing_date", "title"]
        verbose_name_plural = "secondment opportunities"
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_months__gte=1, duration_months__lte=60),
                name="talent_secondment_duration_1_to_60",
            ),
        ]

    def __str__(self):
        return f"{self.title} at {self.host}"


class SecondmentApprover(models.Model):
    """Someone named by an organisation to release its staff for secondments, besides its
    admins (typically a service manager or HR business partner)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="secondment_approvers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    named_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="talent_one_approver_entry"
            ),
        ]

    def __str__(self):
        return f"{self.user} approves secondments for {self.organisation}"


class SecondmentInterest(TimeStampedModel):
    """A member of a partner's staff asking to be considered. Their home organisation
    releases them (or not); then the host selects (or not)."""

    class Status(models.TextChoices):
        EXPRESSED = "expressed", "Waiting for release by the home organisation"
        RELEASED = "released", "Released by the home organisation"
        NOT_RELEASED = "not_released", "Not released by the home organisation"
        SELECTED = "selected", "Selected by the host"
        NOT_SELECTED = "not_selected", "Not selected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opportunity = models.ForeignKey(
        SecondmentOpportunity, on_delete=models.CASCADE, related_name="interests"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="secondment_interests"
    )
    home = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation the person works for, which must release them.",
    )
    statement = models.TextField("why they are interested")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.EXPRESSED)
    home_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    home_decided_at = models.DateTimeField(null=True, blank=True)
    home_reason = models.CharField(max_length=300, blank=True)
    host_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    host_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "person"], name="talent_one_interest_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.person} for {self.opportunity}"


class SecondmentAgreement(TimeStampedModel):
    """The agreement between home, host and person. Proposed, then approved by the home
    organisation, then by the host; only then can it go active. Extensions and an early
    end are recorded on it, and every change in the audit log."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        HOME_APPROVED = "home_approved", "Approved by the home organisation"
        HOST_APPROVED = "host_approved", "Approved by both"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    opportunity = models.ForeignKey(
        SecondmentOpportunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    interest = models.OneToOneField(
        SecondmentInterest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreement",
    )
    home = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="secondees_out")
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="secondees_in")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="secondments"
    )
    role_title = models.CharField("role", max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    original_ends_on = models.DateField(
        null=True, blank=True, help_text="The end date first agreed, once it was extended."
    )
    arrangement = models.CharField(max_length=12, choices=Arrangement.choices)
    recharge = models.CharField(max_length=200, blank=True)
    right_to_return = models.BooleanField("right to return to their post", default=True)
    return_terms = models.CharField(
        max_length=300, blank=True, help_text="The post or equivalent they return to."
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    home_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    home_approved_at = models.DateTimeField(null=True, blank=True)
    host_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    host_approved_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    ended_early_on = models.DateField(null=True, blank=True)
    early_end_reason = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    end_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(home=F("host")), name="talent_secondment_two_organisations"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="talent_secondment_ends_after"
            ),
            # The rule the whole workflow keeps: nothing runs without both approvals.
            models.CheckConstraint(
                condition=~Q(status__in=["active", "completed"])
                | Q(home_approved_at__isnull=False, host_approved_at__isnull=False),
                name="talent_secondment_active_needs_both_approvals",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "ends_on"], name="talent_secondment_ending"),
        ]

    def __str__(self):
        return f"{self.person} from {self.home} to {self.host}"


class RotationScheme(TimeStampedModel):
    """A programme of placements across partners in order (a preceptorship rotation,
    say), run by a lead organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    lead = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="rotation_schemes"
    )
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    staff_group = models.ForeignKey(
        StaffGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RotationPlacement(models.Model):
    """One placement of a scheme: where, which service, for how many weeks, in order."""

    scheme = models.ForeignKey(RotationScheme, on_delete=models.CASCADE, related_name="placements")
    position = models.PositiveSmallIntegerField()
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service = models.CharField(max_length=150, help_text="The ward, team or service.")
    weeks = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["scheme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "position"], name="talent_rotation_placement_order"
            ),
            models.CheckConstraint(condition=Q(weeks__gte=1), name="talent_rotation_weeks"),
        ]

    def __str__(self):
        return f"{self.position}. {self.service}, {self.organisation}"


class RotationParticipant(TimeStampedModel):
    """Someone on a scheme. They go through its placements in order from the one they
    start at (cohorts are staggered so placements are never crowded), wrapping round;
    where they are now and next follows from the start date and the weeks of each."""

    class Status(models.TextChoices):
        ON_SCHEME = "on_scheme", "On the scheme"
        COMPLETED = "completed", "Completed"
        LEFT = "left", "Left the scheme"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scheme = models.ForeignKey(
        RotationScheme, on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", help_text="Who employs them."
    )
    starts_on = models.DateField()
    first_position = models.PositiveSmallIntegerField(
        default=1, help_text="The placement they start at."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ON_SCHEME)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "name"]

    def __str__(self):
        return f"{self.name} on {self.scheme}"


class CareerPathway(TimeStampedModel):
    """A step-by-step route into and up through health and care work, across
    organisations (porter to healthcare assistant to nursing associate to registered
    nurse). Edited by hub admins; shown publicly with the live vacancies at each step."""

    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField()
    staff_group = models.ForeignKey(
        StaffGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pathways:pathway", kwargs={"slug": self.slug})


class PathwayStep(models.Model):
    """A step on a pathway and how to reach the next. The `match_*` fields say which live
    vacancies sit on this step: all that are set must hold."""

    pathway = models.ForeignKey(CareerPathway, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    role_title = models.CharField("role", max_length=150)
    typical_band = models.CharField(
        max_length=2, choices=Vacancy.Band.choices, blank=True, help_text="Blank if not on AfC."
    )
    where = models.CharField(
        max_length=200, blank=True, help_text="Which kinds of partner employ people in it."
    )
    entry_requirements = models.TextField(blank=True)
    training_to_next = models.TextField("training or qualification to the next step", blank=True)
    typical_time = models.CharField(
        "typical time in this step", max_length=100, blank=True, help_text="e.g. 1 to 2 years"
    )
    match_staff_group = models.ForeignKey(
        StaffGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    match_bands = ArrayField(
        models.CharField(max_length=2, choices=Vacancy.Band.choices), default=list, blank=True
    )
    match_keywords = models.CharField(
        max_length=200,
        blank=True,
        help_text='Words a matching vacancy contains, as typed in job search ("care assistant").',
    )

    class Meta:
        ordering = ["pathway", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "position"], name="talent_pathway_step_order"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.role_title}"


class TalentPoolProfileQuerySet(models.QuerySet):
    def in_pool(self):
        """Profiles whose consent to be seen stands now; withdrawing takes effect here."""
        return self.filter(consent_given_at__isnull=False, consent_withdrawn_at__isnull=True)


class TalentPoolProfile(TimeStampedModel):
    """A candidate's profile in the shared talent pool, seen by every partner's HR staff
    only while the candidate's explicit, dated consent stands."""

    class Joined(models.TextChoices):
        OWN_CHOICE = "own_choice", "From their own area"
        AFTER_REJECTION = "after_rejection", "Offered after an unsuccessful application"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talent_pool_profile"
    )
    headline = models.CharField(
        max_length=150, help_text="One line about you, e.g. 'Care worker with 3 years' experience'."
    )
    skills = models.TextField(help_text="Skills, qualifications and experience.")
    staff_groups = models.ManyToManyField(StaffGroup, related_name="+", blank=True)
    no_nights = models.BooleanField("cannot work nights", default=False)
    no_weekends = models.BooleanField("cannot work weekends", default=False)
    term_time_only = models.BooleanField("term time only", default=False)
    max_hours_per_week = models.PositiveSmallIntegerField(
        "most hours a week", null=True, blank=True
    )
    postcode_district = models.CharField(max_length=4, help_text="For example LS9.")
    available_from = models.DateField(null=True, blank=True)
    joined = models.CharField(max_length=16, choices=Joined.choices, default=Joined.OWN_CHOICE)
    consent_wording = models.TextField(blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("headline", weight="A", config="english")
        + SearchVector("skills", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = TalentPoolProfileQuerySet.as_manager()

    class Meta:
        indexes = [
            GinIndex(fields=["search_vector"], name="talent_pool_search_gin"),
            models.Index(
                fields=["postcode_district"],
                condition=Q(consent_given_at__isnull=False, consent_withdrawn_at__isnull=True),
                name="talent_pool_in_pool_district",
            ),
        ]

    def __str__(self):
        return f"Talent pool profile of {self.user}"

    @property
    def is_in_pool(self) -> bool:
        return self.consent_given_at is not None and self.consent_withdrawn_at is None


class PoolInvitation(TimeStampedModel):
    """HR staff of a partner inviting someone from the pool to apply for a vacancy."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(
        TalentPoolProfile, on_delete=models.CASCADE, related_name="invitations"
    )
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="pool_invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "vacancy"], name="talent_one_pool_invitation_per_vacancy"
            ),
        ]

    def __str__(self):
        return f"{self.profile.user} invited to apply for {self.vacancy}"
