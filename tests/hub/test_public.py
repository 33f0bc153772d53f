from django.core.management import call_command
from django.urls import reverse

from hub.demo import PARTNERS, PEOPLE
from hub.models import Membership, Organisation, User
from tests.factories import OrganisationFactory


def test_home_page_lists_the_active_partners(client, db, django_assert_max_num_queries):
    OrganisationFactory.create_batch(5)
    OrganisationFactory(name="Closed Partner", active=False)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("hub:home"))
    assert response.status_code == 200
    assert "Partner Organisation" in response.text
    assert "Closed Partner" not in response.text


def test_unknown_pages_get_the_portals_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_seed_demo_creates_the_partnership_once(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    people = User.objects.count()
    call_command("seed_demo")
    assert Organisation.objects.count() == len(PARTNERS)
    assert User.objects.count() == people  # the second run adds no one
    emails = set(User.objects.values_list("email", flat=True))
    assert {email for email, *_ in PEOPLE} <= emails
    for name in ("Leeds Teaching Hospitals NHS Trust", "Leeds City Council", "Forum Central"):
        assert Organisation.objects.filter(name=name).exists()
    admin = User.objects.get(email="admin.lth@example.org")
    assert admin.memberships.get().role == Membership.Role.ADMIN
    assert admin.authenticator_set.filter(type="totp").exists()


def test_seed_demo_refuses_to_run_on_a_production_site(db, settings):
    import pytest
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_signins_print_a_current_code_for_each_staff_person(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("demo_signins")
    out = capsys.readouterr().out
    assert out.count("TOTP secret") == sum(1 for p in PEOPLE if p[2] or p[3])
    assert "candidate@example.org" in out
