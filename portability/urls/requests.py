"""Staff requests, the live board and offers, under /manage/<org_slug>/portability/
(namespace "requests"). The host's pages name its own requests (`staff_request_id`) and the
offers it received (`received_offer_id`); the home organisation's pages name a request on
the board (`request_id`) and its own offers (`offer_id`)."""

from django.urls import path

from portability.views import requests

urlpatterns = [
    path("board/", requests.board, name="board"),
    # The host's requests and the offers it received.
    path(
        "mobilisations/<uuid:mobilisation_id>/requests/new/",
        requests.request_create,
        name="request_create",
    ),
    path(
        "our-requests/<uuid:staff_request_id>/",
        requests.hosted_request,
        name="hosted_request",
    ),
    path(
        "our-requests/<uuid:staff_request_id>/cancel/",
        requests.request_cancel,
        name="request_cancel",
    ),
    path(
        "offers-received/<uuid:received_offer_id>/accept/",
        requests.offer_accept,
        name="offer_accept",
    ),
    path(
        "offers-received/<uuid:received_offer_id>/decline/",
        requests.offer_decline,
        name="offer_decline",
    ),
    # Offering staff for another signatory's request, and the offers made.
    path("requests/<uuid:request_id>/offer/", requests.offer_create, name="offer_create"),
    path("offers/", requests.offers, name="offers"),
    path("offers/<uuid:offer_id>/withdraw/", requests.offer_withdraw, name="offer_withdraw"),
]
