"""Saved searches that become job alerts: a candidate saves a search, and new vacancies
matching it reach them by email (daily or weekly, through the outbox), each email with a
one-click unsubscribe that works without signing in."""

import logging
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min, Q
from django.http import QueryDict
from django.utils import timezone

from hub import outbox
from hub.models import User
from hub.services import audit_record
from talent import emails
from talent.filters import VacancyFilter
from talent.models import SavedSearch, Vacancy
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


# Alerts locked, matched, written to the outbox and marked sent in one transaction.
ALERTS_PER_BATCH = 500


class _NewVacancies:
    """The vacancies each saved search would find, matched once per distinct search:
    thousands of alerts share a few dozen searches (docs/performance.md). For each
    search, the ids and publication dates of the live vacancies published after the
    earliest `last_sent_at` of its due alerts and by `now`, newest first; each alert
    then keeps those after its own `last_sent_at`."""

    def __init__(self, earliest: dict[str, object], now):
        self.earliest = earliest  # {query: earliest last_sent_at of its due alerts}
        self.now = now
        self.found: dict[str, list] = {}

    def ids_for(self, saved_search: SavedSearch) -> list:
        """The alert's new vacancies' ids, newest first."""
        query = saved_search.query
        if query not in self.found:
            since = min(
                self.earliest.get(query, saved_search.last_sent_at), saved_search.last_sent_at
            )
            self.found[query] = list(
                vacancies_matching(query, published_after=since)
                .filter(published_at__lte=self.now)
                .values_list("pk", "published_at")
            )
        return [
            pk for pk, published_at in self.found[query] if published_at > saved_search.last_sent_at
        ]


def _with_address_kept(vacancy: Vacancy) -> Vacancy:
    """The vacancy with its address worked out once: the same vacancies are listed in
    hundreds of emails of a batch, and `reverse` for each was a sixth of their time."""
    address = vacancy.get_absolute_url()
    vacancy.get_absolute_url = lambda: address
    return vacancy


def _job_alerts_send_batch(ids, *, frequency: str, now, new_vacancies: _NewVacancies) -> int:
    """Send the alerts among `ids` that are still due, in one transaction: their emails
    written to the outbox with one INSERT, delivered by one task after commit, and
    their `last_sent_at` moved on with one UPDATE. Returns the emails written."""
    with transaction.atomic():
        saved_searches = list(
            _due(frequency, now)
            .select_for_update(of=("self",), skip_locked=True)  # another run has the rest
            .select_related("user")
            .filter(pk__in=ids)
        )
        found = {search.pk: new_vacancies.ids_for(search) for search in saved_searches}
        listed_ids = {pk for pks in found.values() for pk in pks[:ALERT_VACANCIES_LISTED]}
        vacancies = {
            pk: _with_address_kept(vacancy)
            for pk, vacancy in Vacancy.objects.select_related("organisation")
            .in_bulk(listed_ids)
            .items()
        }
        messages = [
            outbox.outbox_build(
                **emails.job_alert_email(
                    saved_search=search,
                    vacancies=[vacancies[pk] for pk in found[search.pk][:ALERT_VACANCIES_LISTED]],
                    total=len(found[search.pk]),
                )
            )
            for search in saved_searches
            if found[search.pk]
        ]
        outbox.outbox_enqueue_many(messages, publish=_publish_alert_emails)
        SavedSearch.objects.filter(pk__in=[search.pk for search in saved_searches]).update(
            last_sent_at=now, updated_at=timezone.now()
        )
        return len(messages)


def _publish_alert_emails(email_ids: list) -> None:
    """Hand a batch of alert emails to one Celery task; never fail for a broker outage
    (the outbox's beat job sends them one by one)."""
    from talent.tasks import deliver_job_alert_emails

    try:
        deliver_job_alert_emails.apply_async(args=[[str(pk) for pk in email_ids]], retry=False)
    except Exception:
        logger.warning("Could not enqueue %s job alert emails; they will be resent", len(email_ids))


def job_alerts_send(*, frequency: str, now=None) -> int:
    """Email every due alert of this frequency the vacancies published since its last
    email; alerts with nothing new send nothing. Running it again sends nothing more.
    Returns the number of emails written to the outbox.

    Alerts go in batches, each search matched once for all its alerts (see
    `_NewVacancies`); a batch that fails is tried again one alert at a time, so that
    one broken search does not stop everyone else's alerts."""
    if frequency not in DUE_AFTER:
        raise ValueError(f"Unknown frequency {frequency!r}")
    now = now or timezone.now()
    due = _due(frequency, now)
    earliest = dict(
        due.values("query").annotate(since=Min("last_sent_at")).values_list("query", "since")
    )
    new_vacancies = _NewVacancies(earliest, now)
    ids = list(due.order_by("query", "pk").values_list("pk", flat=True))
    sent = 0
    for start in range(0, len(ids), ALERTS_PER_BATCH):
        batch = ids[start : start + ALERTS_PER_BATCH]
        try:
            sent += _job_alerts_send_batch(
                batch, frequency=frequency, now=now, new_vacancies=new_vacancies
            )
        except Exception:
            logger.exception("Could not send a batch of job alerts; trying them one by one")
            for saved_search_id in batch:
                try:
                    sent += _job_alerts_send_batch(
                        [saved_search_id], frequency=frequency, now=now, new_vacancies=new_vacancies
                    )
                except Exception:
                    logger.exception("Could not send job alert %s", saved_search_id)
    return sent
