"""The retention scene for tests: vacancies that closed long enough ago for their
unsuccessful applications to be due, and ones that did not, with applications at every
ending, built directly with everything personal that retention must remove. Used by the
talent and campaigns retention tests (a resident's journey leads to one of these)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db.models import Count
from django.utils import timezone

from hub.uploads import private_storage
from talent.models import (
    Application,
    ApplicationAnswer,
    ApplicationNote,
    EqualityMonitoring,
    PoolInvitation,
    StageChange,
)
from talent.selectors import mobility_reports
from talent.selectors.time_to_hire import organisation_time_to_hire
from tests.factories import ApplicationFactory, ScreeningQuestionFactory, VacancyFactory
from tests.talent.mobility_builders import make_pool_profile

NOW = datetime.datetime(2026, 3, 10, 2, 30, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 3, 10)


def make_retention_application(vacancy, stage, *, cv=True, **fields):
    application = ApplicationFactory(
        vacancy=vacancy,
        stage=stage,
        address="1 Town Street, Leeds",
        reasonable_adjustments="A quiet room",
        source="campaign",
        campaign_code="CAMP1",
        fair_route="care_leaver",
        rejection_reason="others_stronger" if stage == "rejected" else "",
        submitted_at=timezone.now() - relativedelta(months=9),
        **fields,
    )
    if cv:
        name = private_storage().save("cvs/cv.pdf", ContentFile(b"%PDF-1.4 a CV"))
        application.cv.name = name
        application.cv_filename = "My CV.pdf"
        application.save(update_fields=["cv", "cv_filename"])
    when = application.submitted_at
    for from_stage, to_stage in (
        ("", "submitted"),
        ("submitted", "screening"),
        ("screening", stage),
    ):
        StageChange.objects.create(
            application=application, from_stage=from_stage, to_stage=to_stage, created_at=when
        )
        when += datetime.timedelta(days=4)
    for question in vacancy.questions.all():
        ApplicationAnswer.objects.create(
            application=application, question=question, answer="I cared for my gran"
        )
    ApplicationNote.objects.create(application=application, text="Sounded nervous on the phone")
    EqualityMonitoring.objects.create(application=application, age_band="20_29", sex="female")
    return application


def make_application_scene(organisation) -> dict:
    """Vacancies that closed 8 months before TODAY (due) and 3 months before (not yet),
    and their applications: rejected, withdrawn, hired, rejected after a talent pool
    invitation, and rejected but not yet due. Call with time frozen at NOW."""
    old_vacancy = VacancyFactory(
        organisation=organisation, status="closed", closing_date=TODAY - relativedelta(months=8)
    )
    ScreeningQuestionFactory(vacancy=old_vacancy)
    recent_vacancy = VacancyFactory(
        organisation=organisation, status="closed", closing_date=TODAY - relativedelta(months=3)
    )
    rejected = make_retention_application(old_vacancy, "rejected")
    withdrawn = make_retention_application(old_vacancy, "withdrawn", cv=False)
    hired = make_retention_application(old_vacancy, "hired")
    invited = make_retention_application(old_vacancy, "rejected", cv=False)
    PoolInvitation.objects.create(
        profile=make_pool_profile(invited.candidate), vacancy=old_vacancy, organisation=organisation
    )
    not_yet_due = make_retention_application(recent_vacancy, "rejected")
    return {
        "rejected": rejected,
        "withdrawn": withdrawn,
        "hired": hired,
        "invited": invited,
        "not_yet_due": not_yet_due,
    }


def talent_report_figures(organisation) -> dict:
    """What the talent reports show, as their selectors compute it."""
    return {
        "by_stage_and_source": list(
            Application.objects.values(
                "vacancy_id", "stage", "source", "campaign_code", "fair_route"
            )
            .annotate(n=Count("pk"))
            .order_by("vacancy_id", "stage", "source")
        ),
        "rejection_reasons": list(
            Application.objects.values("rejection_reason")
            .annotate(n=Count("pk"))
            .order_by("rejection_reason")
        ),
        "monitoring": list(
            EqualityMonitoring.objects.values("application__stage", "age_band", "sex")
            .annotate(n=Count("pk"))
            .order_by("application__stage", "age_band")
        ),
        # Less the targets, an unsaved defaults object that only equals itself.
        "time_to_hire": {
            key: value
            for key, value in organisation_time_to_hire(organisation).items()
            if key != "targets"
        },
        "mobility": mobility_reports.city_report(),
    }
