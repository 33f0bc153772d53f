"""Reads for the HR pipeline: a vacancy's applications with their flags (guaranteed
interview, likely duplicate, identity hidden by anonymised shortlisting), the counts per
stage, the dates each stage was reached (for the export), notes, and the organisation's
email templates. Every flag is an annotation computed in SQL, so a page of any length
costs the same number of queries; the Python twins (`is_guaranteed_interview`,
`applicant_display`) give the same answer for one application already in hand."""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from hub.access import get_for_membership
from hub.exports import spreadsheet_safe
from hub.models import Membership, Organisation
from talent.models import (
    Application,
    ApplicationNote,
    OrganisationEmailTemplate,
    StageChange,
    Vacancy,
)

Stage = Application.Stage
SUBMITTED = ~Q(stage=Stage.DRAFT)

# The stages that count as "reached shortlisting": from here on an anonymised vacancy
# shows who the applicant is.
SHORTLISTED_OR_LATER = (
    Stage.SHORTLISTED,
    Stage.INTERVIEW,
    Stage.OFFER,
    Stage.PRE_EMPLOYMENT,
    Stage.HIRED,
)

# The stages a pipeline shows, in order (drafts belong to the candidate).
PIPELINE_STAGES = [stage for stage in Stage if stage != Stage.DRAFT]


# --- Guaranteed interviews -----------------------------------------------------------------


class EqualsAny(Func):
    """`value = ANY(array)`: is the value one of the array's elements?"""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        value, array = self.get_source_expressions()
        value_sql, value_params = compiler.compile(value)
        array_sql, array_params = compiler.compile(array)
        return f"({value_sql} = ANY({array_sql}))", (*value_params, *array_params)


def is_guaranteed_interview(application: Application) -> bool:
    """The applicant came through one of the routes the vacancy guarantees an interview
    to, and the recruiter has not judged that they miss the essential criteria."""
    return (
        bool(application.fair_route)
        and application.fair_route in (application.vacancy.guaranteed_interview_routes or [])
        and application.meets_essential_criteria is not False
    )


def guaranteed_interview_expression() -> ExpressionWrapper:
    """SQL twin of `is_guaranteed_interview`: fair_route = ANY(vacancy's routes) and the
    essential criteria not judged missed."""
    in_routes = EqualsAny(F("fair_route"), F("vacancy__guaranteed_interview_routes"))
    return ExpressionWrapper(
        Q(in_routes) & ~Q(fair_route="") & ~Q(meets_essential_criteria=False),
        output_field=BooleanField(),
    )


# --- Likely duplicates ---------------------------------------------------------------------


def likely_duplicate_expression() -> ExpressionWrapper:
    """Another submitted application to the same vacancy with the same non-empty
    normalised name and phone number."""
    twin = (
        Application.objects.filter(
            vacancy_id=OuterRef("vacancy_id"), duplicate_key=OuterRef("duplicate_key")
        )
        .filter(SUBMITTED)
        .exclude(pk=OuterRef("pk"))
        # Repeats the outer condition so that the partial index on non-empty keys
        # (talent_application_duplicates) is used instead of scanning the vacancy.
        .exclude(duplicate_key="")
    )
    return ExpressionWrapper(Q(Exists(twin)) & ~Q(duplicate_key=""), output_field=BooleanField())


def is_likely_duplicate(application: Application) -> bool:
    if not application.duplicate_key:
        return False
    return (
        Application.objects.filter(
            vacancy_id=application.vacancy_id, duplicate_key=application.duplicate_key
        )
        .filter(SUBMITTED)
        .exclude(pk=application.pk)
        .exists()
    )


# --- Anonymised shortlisting ---------------------------------------------------------------


def identity_hidden_expression() -> ExpressionWrapper:
    """True while the vacancy anonymises shortlisting and the application has never been
    shortlisted (a rejection before shortlisting stays anonymous)."""
    reached = Exists(
        StageChange.objects.filter(application_id=OuterRef("pk"), to_stage__in=SHORTLISTED_OR_LATER)
    )
    return ExpressionWrapper(
        Q(vacancy__anonymised_shortlisting=True) & ~Q(stage__in=SHORTLISTED_OR_LATER) & ~Q(reached),
        output_field=BooleanField(),
    )


def application_reference(application: Application) -> str:
    """A short, stable reference from the application's id, like 3F9A0C12."""
    return application.pk.hex[:8].upper()


def identity_hidden(application: Application) -> bool:
    """Does anonymised shortlisting hide who this applicant is? Uses the `identity_hidden`
    annotation when the application was loaded through these selectors."""
    annotated = getattr(application, "identity_hidden", None)
    if annotated is not None:
        return annotated
    if not application.vacancy.anonymised_shortlisting:
        return False
    if application.stage in SHORTLISTED_OR_LATER:
        return False
    return not application.history.filter(to_stage__in=SHORTLISTED_OR_LATER).exists()


@dataclass(frozen=True)
class ApplicantDisplay:
    """Who the applicant is, as staff may see it now."""

    hidden: bool
    reference: str
    name: str
    email: str
    phone: str
    address: str
    postcode: str

    def __str__(self):
        return self.name


def applicant_display(application: Application, *, contact: bool = True) -> ApplicantDisplay:
    """The applicant's name and contact details, or "Applicant 3F9A0C12" and nothing
    else while anonymised shortlisting hides them. Every staff page and export shows
    applicants through this. Lists pass `contact=False`: they show the name only, and
    the contact details are not loaded."""
    reference = application_reference(application)
    if application.anonymised_at:
        return ApplicantDisplay(True, reference, "Anonymised applicant", "", "", "", "")
    if identity_hidden(application):
        return ApplicantDisplay(True, reference, f"Applicant {reference}", "", "", "", "")
    name = application.full_name or "Name not given"
    if not contact:
        return ApplicantDisplay(False, reference, name, "", "", "", "")
    return ApplicantDisplay(
        False,
        reference,
        name,
        application.email,
        application.phone,
        application.address,
        application.postcode,
    )


# --- The pipeline page and the export ------------------------------------------------------

PIPELINE_LIST_FIELDS = (
    "id",
    "vacancy_id",
    "vacancy__anonymised_shortlisting",
    "vacancy__guaranteed_interview_routes",
    "full_name",
    "stage",
    "fair_route",
    "meets_essential_criteria",
    "duplicate_key",
    "rejection_reason",
    "source",
    "campaign_code",
    "submitted_at",
    "stage_changed_at",
    "anonymised_at",
    "created_at",
)


def with_pipeline_flags(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate `guaranteed_interview`, `likely_duplicate` and `identity_hidden`."""
    return applications.annotate(
        guaranteed_interview=guaranteed_interview_expression(),
        likely_duplicate=likely_duplicate_expression(),
        identity_hidden=identity_hidden_expression(),
    )


def pipeline_applications(vacancy: Vacancy, *, stage: str = "") -> QuerySet[Application]:
    """The vacancy's submitted applications with their flags, oldest first (the order
    they are worked through), optionally of one stage."""
    applications = (
        Application.objects.filter(vacancy=vacancy)
        .filter(SUBMITTED)
        .select_related("vacancy")
        .only(*PIPELINE_LIST_FIELDS)
    )
    if stage:
        applications = applications.filter(stage=stage)
    return with_pipeline_flags(applications).order_by("submitted_at", "created_at", "pk")


def pipeline_counts(vacancy: Vacancy) -> dict[str, int]:
    """Submitted applications in each stage, in all, guaranteed an interview and likely
    duplicates, in one query."""
    applications = Application.objects.filter(vacancy=vacancy).filter(SUBMITTED)
    return applications.annotate(
        guaranteed_interview=guaranteed_interview_expression(),
        likely_duplicate=likely_duplicate_expression(),
    ).aggregate(
        all=Count("pk"),
        guaranteed=Count("pk", filter=Q(guaranteed_interview=True)),
        duplicates=Count("pk", filter=Q(likely_duplicate=True)),
        **{stage.value: Count("pk", filter=Q(stage=stage)) for stage in PIPELINE_STAGES},
    )


def stage_reached_field(stage: str) -> str:
    return f"reached_{stage}"


def pipeline_export_rows(vacancy: Vacancy) -> QuerySet[Application]:
    """The applications of the export: flags, and when each stage was first reached
    (`reached_<stage>`), all in one query."""
    reached = {
        stage_reached_field(stage): Min("history__created_at", filter=Q(history__to_stage=stage))
        for stage in PIPELINE_STAGES
    }
    applications = (
        Application.objects.filter(vacancy=vacancy)
        .filter(SUBMITTED)
        .select_related("vacancy")
        .only(*PIPELINE_LIST_FIELDS)
        .annotate(**reached)
    )
    return with_pipeline_flags(applications).order_by("submitted_at", "created_at", "pk")


def application_in_vacancy(vacancy: Vacancy, ids) -> QuerySet[Application]:
    """The vacancy's submitted applications among `ids` (others are simply not found)."""
    return (
        Application.objects.filter(vacancy=vacancy, pk__in=ids)
        .filter(SUBMITTED)
        .select_related("vacancy__organisation")
    )


def pipeline_vacancy(membership: Membership, pk: int) -> Vacancy:
    """One of the organisation's vacancies, or 404."""
    return get_for_membership(
        Vacancy.objects.select_related("organisation").defer("search_vector"),
        membership,
        pk=pk,
    )


def pipeline_application(membership: Membership, application_id) -> Application:
    """A submitted application to one of the organisation's vacancies, with its flags,
    or 404."""
    return get_for_membership(
        with_pipeline_flags(
            Application.objects.filter(SUBMITTED)
            .select_related("vacancy__organisation")
            .defer("vacancy__search_vector")
        ),
        membership,
        field="vacancy__organisation",
        pk=application_id,
    )


def application_notes(application: Application) -> QuerySet[ApplicationNote]:
    return ApplicationNote.objects.filter(application=application).select_related("author")


def application_flags(application: Application) -> dict[str, bool]:
    """The flags of one application, from its annotations when it has them."""

    def flag(name, compute):
        value = getattr(application, name, None)
        return compute(application) if value is None else value

    return {
        "guaranteed_interview": flag("guaranteed_interview", is_guaranteed_interview),
        "likely_duplicate": flag("likely_duplicate", is_likely_duplicate),
        "identity_hidden": flag("identity_hidden", identity_hidden),
    }


# --- Organisation email templates ------------------------------------------------------------


def organisation_email_template(organisation: Organisation, kind: str) -> OrganisationEmailTemplate:
    """The organisation's wording of an email, or an unsaved one with the default
    wording (`pk` is None then)."""
    from talent.services.pipeline import DEFAULT_EMAIL_TEMPLATES

    saved = OrganisationEmailTemplate.objects.filter(organisation=organisation, kind=kind).first()
    if saved is not None:
        return saved
    default = DEFAULT_EMAIL_TEMPLATES[kind]
    return OrganisationEmailTemplate(
        organisation=organisation, kind=kind, subject=default.subject, body=default.body
    )


def organisation_email_templates(organisation: Organisation) -> list[OrganisationEmailTemplate]:
    """Every kind of template, the organisation's own or the default, in one query."""
    from talent.services.pipeline import DEFAULT_EMAIL_TEMPLATES

    saved = {
        template.kind: template
        for template in OrganisationEmailTemplate.objects.filter(
            organisation=organisation
        ).select_related("updated_by")
    }
    templates = []
    for kind in OrganisationEmailTemplate.Kind:
        template = saved.get(kind.value)
        if template is None:
            default = DEFAULT_EMAIL_TEMPLATES[kind.value]
            template = OrganisationEmailTemplate(
                organisation=organisation,
                kind=kind.value,
                subject=default.subject,
                body=default.body,
            )
        templates.append(template)
    return templates


# --- The CSV export ----------------------------------------------------------------------------


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _yes_no(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "")


def pipeline_export_table(vacancy: Vacancy) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the vacancy's pipeline export, one row per submitted
    application, names hidden as on screen while anonymised shortlisting hides them.
    Every cell is spreadsheet-safe."""
    header = [
        "Reference",
        "Applicant",
        "Stage",
        *[f"{stage.label} on" for stage in PIPELINE_STAGES],
        "Source",
        "Campaign code",
        "Route into work",
        "Guaranteed interview",
        "Likely duplicate",
        "Meets the essential criteria",
        "Rejection reason",
    ]
    rows = []
    for application in pipeline_export_rows(vacancy):
        display = applicant_display(application, contact=False)
        reached = [
            _day(getattr(application, stage_reached_field(stage))) for stage in PIPELINE_STAGES
        ]
        if not reached[0]:  # sent before the history was kept
            reached[0] = _day(application.submitted_at)
        row = [
            display.reference,
            display.name,
            application.get_stage_display(),
            *reached,
            application.get_source_display(),
            application.campaign_code,
            application.get_fair_route_display(),
            _yes_no(application.guaranteed_interview),
            _yes_no(application.likely_duplicate),
            _yes_no(application.meets_essential_criteria) or "Not decided",
            application.get_rejection_reason_display(),
        ]
        rows.append([spreadsheet_safe(cell) for cell in row])
    return header, rows
