"""Saved searches that become job alerts: a candidate saves a search, and new vacancies
matching it reach them by email (daily or weekly, through the outbox), each email with a
one-click unsubscribe that works without signing in."""

import logging
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.utils import timezone

from hub.models import User
from hub.services import audit_record
from talent import emails
from talent.filters import VacancyFilter
from talent.models import SavedSearch
from talent.selectors.search import search_query_string, vacancies_matching

logger = logging.getLogger(__name__)

MAX_SAVED_SEARCHES = 20
ALERT_VACANCIES_LISTED = 10

# An alert is due once this long has passed since the last one: a little under a day or a
# week, so a beat run a few minutes early or late still sends the day's email.
DUE_AFTER = {
    SavedSearch.Frequency.DAILY: timedelta(hours=23),
    SavedSearch.Frequency.WEEKLY: timedelta(days=7) - timedelta(hours=1),
}


def _describe(filterset: VacancyFilter) -> str:
    """A readable name from the search terms: 'Nurse jobs', 'Nurse jobs: Band 5, Part
    time', 'Jobs: Leeds City Council', 'All jobs'."""
    cleaned = filterset.form.cleaned_data
    parts = []
    for name, field in filterset.form.fields.items():
        value = cleaned.get(name)
        if name in {"q", "sort"} or value is None or value is False or value == "":
            continue
        if name == "max_hours":
            parts.append(f"up to {value.normalize():f} hours")
        elif value is True:
            parts.append(str(field.label))
        elif isinstance(value, str):
            parts.append(str(dict(getattr(field, "choices", [])).get(value, value)))
        elif hasattr(value, "model"):  # organisations or staff groups chosen
            parts += [str(item) for item in value]
        else:
            labels = dict(field.choices)
            parts += [str(labels.get(item, item)) for item in value]
    keywords = " ".join((cleaned.get("q") or "").split())
    name = f"{keywords[:1].upper()}{keywords[1:]} jobs" if keywords else "Jobs"
    if parts:
        name += ": " + ", ".join(parts)
    elif not keywords:
        name = "All jobs"
    return name if len(name) <= 100 else name[:99] + "…"


@transaction.atomic
def saved_search_create(
    *,
    user: User,
    query: str | QueryDict,
    name: str | None = None,
    frequency: str = SavedSearch.Frequency.DAILY,
) -> SavedSearch:
    """Save a search as a job alert. The same search saved again returns the alert the
    person already has (switched back on)."""
    if frequency not in SavedSearch.Frequency.values:
        raise ValidationError({"frequency": "Select how often you want emails"})
    encoded = search_query_string(query)
    filterset = VacancyFilter(QueryDict(encoded))
    if not filterset.is_valid():
        raise ValidationError(
            "This search has a problem, so it cannot become a job alert. Correct the search first.",
            code="invalid_search",
        )
    if len(encoded) > SavedSearch._meta.get_field("query").max_length:
        raise ValidationError("This search is too long to save. Remove some filters first.")
    # One person's alerts are counted and matched under a lock on their account, so two
    # requests at once cannot pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = SavedSearch.objects.filter(user=user, query=encoded).first()
    if existing is not None:
        if not existing.active:  # switched back on: new from now, not since it stopped
            existing.last_sent_at = timezone.now()
        existing.active = True
        existing.frequency = frequency
        existing.save(update_fields=["active", "frequency", "last_sent_at", "updated_at"])
        return existing
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            f"You can have up to {MAX_SAVED_SEARCHES} job alerts. "
            "Delete one you no longer need first.",
            code="too_many",
        )
    now = timezone.now()
    saved_search = SavedSearch.objects.create(
        user=user,
        name=(name or "").strip()[:100] or _describe(filterset),
        query=encoded,
        frequency=frequency,
        created_at=now,
        last_sent_at=now,
        unsubscribe_token=secrets.token_urlsafe(32),
    )
    audit_record(
        actor=user,
        obj=saved_search,
        action="saved_search.created",
        summary="Saved a job alert",
    )
    return saved_search


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch, actor: User) -> None:
    audit_record(
        actor=actor,
        obj=saved_search,
        action="saved_search.deleted",
        summary="Deleted a job alert",
    )
    saved_search.delete()


@transaction.atomic
def saved_search_unsubscribe(*, token: str) -> SavedSearch | None:
    """Stop a job alert's emails from the link in one of them; no sign-in needed, the
    token is the secret. Returns None for a token that matches no alert."""
    saved_search = (
        SavedSearch.objects.select_for_update().filter(unsubscribe_token=token).first()
        if token
        else None
    )
    if saved_search is None or not saved_search.active:
        return saved_search
    saved_search.active = False
    saved_search.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=None,
        obj=saved_search,
        action="saved_search.unsubscribed",
        summary="Unsubscribed from a job alert",
    )
    return saved_search


def _due(frequency: str, now):
    """Active alerts of this frequency last checked long enough ago, or never checked (a
    new alert is made with `last_sent_at == created_at`, so that it is checked at the next
    run, however soon, rather than a day after that)."""
    return SavedSearch.objects.filter(
        Q(last_sent_at__lte=now - DUE_AFTER[frequency]) | Q(last_sent_at__lte=F("created_at")),
        active=True,
        frequency=frequency,
        user__is_active=True,
    )


def _job_alert_send(saved_search_id, *, frequency: str, now) -> bool:
    """Send one alert if it is still due; True when an email was written."""
    with transaction.atomic():
        saved_search = (
            _due(frequency, now)
            .select_for_update(of=("self",), skip_locked=True)
            .select_related("user")
            .filter(pk=saved_search_id)
            .first()
        )
        if saved_search is None:  # sent by another run meanwhile, or switched off
            return False
        new = vacancies_matching(
            saved_search.query, published_after=saved_search.last_sent_at
        ).filter(published_at__lte=now)
        listed = list(new.select_related("organisation")[:ALERT_VACANCIES_LISTED])
        total = new.count() if len(listed) == ALERT_VACANCIES_LISTED else len(listed)
        if listed:
            emails.email_job_alert(saved_search=saved_search, vacancies=listed, total=total)
        saved_search.last_sent_at = now
        saved_search.save(update_fields=["last_sent_at", "updated_at"])
        return bool(listed)


def job_alerts_send(*, frequency: str, now=None) -> int:
    """Email every due alert of this frequency the vacancies published since its last
    email; alerts with nothing new send nothing. Running it again sends nothing more.
    Returns the number of emails written to the outbox."""
    if frequency not in DUE_AFTER:
        raise ValueError(f"Unknown frequency {frequency!r}")
    now = now or timezone.now()
    sent = 0
    for saved_search_id in list(_due(frequency, now).values_list("pk", flat=True)):
        try:
            sent += _job_alert_send(saved_search_id, frequency=frequency, now=now)
        except Exception:  # one broken search must not stop everyone else's alerts
            logger.exception("Could not send job alert %s", saved_search_id)
    return sent
