"""A member of staff's own secondment interests and agreements, under /me/secondments/
(namespace "my_secondments")."""

from django.urls import path

from talent.views import secondments

urlpatterns = [
    path("", secondments.my_secondments, name="list"),
    path(
        "interests/<uuid:interest_id>/withdraw/",
        secondments.my_interest_withdraw,
        name="interest_withdraw",
    ),
]
