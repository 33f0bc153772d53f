"""Two people accept two different offers for the last place of a request at the same
moment: a real race on PostgreSQL, each thread with its own connection and transaction.

How we know this test can fail: with `select_for_update()` removed from the request
lookup in `staff_offer_accept` (portability/services/requests.py), both threads count one
accepted offer, both accept, and the test fails with 3 accepted offers for 2 places
("assert 3 <= 2"; checked by hand on 23 November 2026, then the lock put back). To make
that failure certain rather than a matter of timing, `_wait_for_the_other` holds each
thread, after it has counted and saved but before it commits, until the other thread gets
there too (or a second has passed): without the lock both get there; with it, the second
thread is still waiting for the row lock, so the first goes on alone and commits.
"""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from portability.models import Deployment, StaffOffer, StaffRequest
from portability.services import requests as services
from tests.factories import MembershipFactory, OrganisationFactory
from tests.portability.builders import make_offer, make_request, mobilise, sign

HOLD_SECONDS = 1.0


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_for_the_last_place_at_the_same_moment_only_one_wins(monkeypatch):
    host = OrganisationFactory(name="Leeds Teaching Hospitals NHS Trust")
    home_1 = OrganisationFactory(name="Leeds Community Healthcare NHS Trust")
    home_2 = OrganisationFactory(name="Leeds and York Partnership NHS Foundation Trust")
    accepters = [MembershipFactory(organisation=host, role="staff") for _ in range(2)]
    for organisation in (host, home_1, home_2):
        sign(organisation)
    staff_request = make_request(mobilise(host), number_needed=2)
    make_offer(staff_request, home_1, status=StaffOffer.Status.ACCEPTED)
    last_place = [make_offer(staff_request, home_1), make_offer(staff_request, home_2)]

    in_transaction = threading.Barrier(2, timeout=10)
    both_accepted = threading.Barrier(2)
    real_audit_record = services.audit_record

    def _wait_for_the_other(**kwargs):
        # When the other thread is not there within the hold, go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_accepted.wait(timeout=HOLD_SECONDS)
        return real_audit_record(**kwargs)

    monkeypatch.setattr(services, "audit_record", _wait_for_the_other)
    winners, refusals, failures = [], [], []

    def accept(offer, membership):
        try:
            with transaction.atomic():
                # Both transactions are open (and have read the database) before either
                # tries to accept.
                StaffRequest.objects.filter(pk=staff_request.pk).exists()
                in_transaction.wait()
                winners.append(
                    services.staff_offer_accept(
                        offer=offer, actor=membership.user, membership=membership
                    )
                )
        except ValidationError as error:
            refusals.append(error)
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=(offer, membership))
        for offer, membership in zip(last_place, accepters, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not failures
    accepted = StaffOffer.objects.filter(request=staff_request, status=StaffOffer.Status.ACCEPTED)
    assert accepted.count() <= staff_request.number_needed
    assert len(winners) == 1
    assert len(refusals) == 1
    assert "already has the 2 people it asked for" in refusals[0].messages[0]
    assert accepted.count() == 2
    assert Deployment.objects.count() == 1
    staff_request.refresh_from_db()
    assert staff_request.status == StaffRequest.Status.FILLED
