import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from django.utils.text import slugify

from hub.models import Invitation, Membership, Organisation, User
from talent.models import StaffGroup

PASSWORD = "Correct-Horse-Battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)

    @factory.post_generation
    def totp(user, create, extracted, **kwargs):
        """`UserFactory(totp=True)` sets up two-factor; the secret is kept on the user."""
        if create and extracted:
            user.totp_secret = generate_totp_secret()
            TOTP.activate(user, user.totp_secret)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = Organisation.Kind.NHS_TRUST


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, totp=True)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.STAFF


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.STAFF
    token_hash = factory.Sequence(lambda n: f"{n:064d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))


class VacancyFactory(factory.django.DjangoModelFactory):
    """A published vacancy closing in four weeks, unless told otherwise."""

    class Meta:
        model = "talent.Vacancy"

    organisation = factory.SubFactory(OrganisationFactory)
    status = "published"
    title = factory.Sequence(lambda n: f"Healthcare Assistant {n}")
    slug = factory.LazyAttribute(lambda v: slugify(v.title)[:80])
    staff_group = factory.LazyFunction(
        lambda: StaffGroup.objects.get(slug="additional-clinical-services")
    )
    band = "3"
    salary_min = 24071
    salary_max = 25674
    contract_type = "permanent"
    working_patterns = factory.LazyFunction(lambda: ["full_time"])
    hours_per_week = 37.5
    site = "St James's University Hospital"
    postcode = "LS9 7TF"
    postcode_district = factory.LazyAttribute(lambda v: v.postcode.split()[0])
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=28))
    summary = "Care for patients on a busy ward as part of a friendly team."
    description = "You will support registered nurses with personal care and observations."
    essential_criteria = "Good communication skills."
    published_at = factory.LazyFunction(timezone.now)


class ScreeningQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "talent.ScreeningQuestion"

    vacancy = factory.SubFactory(VacancyFactory)
    text = "Why do you want to work in health and care?"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application by a new candidate; `stage="draft"` for a draft."""

    class Meta:
        model = "talent.Application"

    vacancy = factory.SubFactory(VacancyFactory)
    candidate = factory.SubFactory(UserFactory)
    stage = "submitted"
    full_name = factory.LazyAttribute(lambda a: a.candidate.name if a.candidate else "")
    email = factory.LazyAttribute(lambda a: a.candidate.email if a.candidate else "")
    phone = "0113 496 0000"
    postcode = "LS12 3AB"
    supporting_statement = "I have cared for my grandmother for three years."
    right_to_work = "yes"
    source = "job_search"
    submitted_at = factory.LazyAttribute(lambda a: None if a.stage == "draft" else timezone.now())


class SavedSearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "talent.SavedSearch"

    user = factory.SubFactory(UserFactory)
    name = "Nursing jobs"
    query = "q=nurse"
    unsubscribe_token = factory.Sequence(lambda n: f"token-{n:040d}")
