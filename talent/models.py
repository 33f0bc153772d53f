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
    supporting_statement = models.TextField(blank=True)
    cv = models.FileField("CV", storage=private_storage, upload_to="cvs/", blank=True)
    cv_filename = models.CharField("CV file name", max_length=120, blank=True)
    right_to_work = models.CharField(
        max_length=20, choices=CandidateProfile.RightToWork.choices, blank=True
    )
    reasonable_adjustments = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, blank=True)
    campaign_code = models.CharField(max_length=40, blank=True)
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
        ]

    def __str__(self):
        return f"{self.full_name or 'Applicant'} for {self.vacancy}"

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
