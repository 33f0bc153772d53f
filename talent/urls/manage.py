"""HR staff's pages for their organisation's vacancies and applications, under
/manage/<org_slug>/ (namespace "vacancies")."""

from django.urls import path

from talent.views import manage

urlpatterns = [
    path("vacancies/", manage.vacancy_list, name="vacancy_list"),
    path("vacancies/new/", manage.vacancy_create, name="vacancy_create"),
    path("vacancies/<int:pk>/", manage.vacancy_detail, name="vacancy_detail"),
    path("vacancies/<int:pk>/edit/", manage.vacancy_edit, name="vacancy_edit"),
    path("vacancies/<int:pk>/publish/", manage.vacancy_publish, name="vacancy_publish"),
    path("vacancies/<int:pk>/approve/", manage.vacancy_approve, name="vacancy_approve"),
    path(
        "vacancies/<int:pk>/return-to-draft/",
        manage.vacancy_return_to_draft,
        name="vacancy_return_to_draft",
    ),
    path("vacancies/<int:pk>/close/", manage.vacancy_close, name="vacancy_close"),
    path("vacancies/<int:pk>/filled/", manage.vacancy_mark_filled, name="vacancy_mark_filled"),
    path("vacancies/<int:pk>/duplicate/", manage.vacancy_duplicate, name="vacancy_duplicate"),
    path(
        "vacancies/<int:pk>/applications/",
        manage.vacancy_applications,
        name="vacancy_applications",
    ),
    path(
        "applications/<uuid:application_id>/",
        manage.application_detail,
        name="application_detail",
    ),
    path("applications/<uuid:application_id>/cv/", manage.application_cv, name="application_cv"),
]
