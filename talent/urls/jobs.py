from django.urls import path

from talent.feeds import VacancyFeed
from talent.views import jobs

urlpatterns = [
    path("", jobs.search, name="search"),
    path("feed/", VacancyFeed(), name="feed"),
    path("<int:pk>/", jobs.detail, name="detail_short"),
    path("<int:pk>/<slug:slug>/", jobs.detail, name="detail"),
]
