"""HR staff's pipeline pages under /manage/<org_slug>/ (namespace "pipeline"): a vacancy's
applicants by stage and their export, the pipeline panel's forms on an application's
page, and the organisation's email templates."""

from django.urls import path

from talent.views import pipeline

urlpatterns = [
    path("vacancies/<int:pk>/pipeline/", pipeline.vacancy_pipeline, name="vacancy_pipeline"),
    path(
        "vacancies/<int:pk>/pipeline.csv",
        pipeline.vacancy_pipeline_csv,
        name="vacancy_pipeline_csv",
    ),
    path(
        "applications/<uuid:application_id>/move/",
        pipeline.application_move,
        name="application_move",
    ),
    path(
        "applications/<uuid:application_id>/essential-criteria/",
        pipeline.application_criteria,
        name="application_criteria",
    ),
    path(
        "applications/<uuid:application_id>/notes/",
        pipeline.application_note_add,
        name="application_note_add",
    ),
    path("email-templates/", pipeline.email_templates, name="email_templates"),
    path(
        "email-templates/<slug:template_kind>/",
        pipeline.email_template_edit,
        name="email_template_edit",
    ),
    path(
        "email-templates/<slug:template_kind>/reset/",
        pipeline.email_template_reset,
        name="email_template_reset",
    ),
]
