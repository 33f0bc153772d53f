"""The Atom feed of live vacancies at `/jobs/feed/`: newest first, at most 50, narrowed by
the same GET parameters as the job search (`/jobs/feed/?q=nurse&band=5`)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from talent.selectors.search import search_query_string, vacancies_matching

FEED_SIZE = 50


class VacancyFeed(Feed):
    feed_type = Atom1Feed
    title = "Health and care jobs – Workforce Hub"
    subtitle = "New jobs from every partner of the health and care partnership."

    def get_object(self, request, *args, **kwargs):
        return search_query_string(request.GET)

    def link(self, query):
        url = reverse("jobs:search")
        return f"{url}?{query}" if query else url

    def feed_url(self, query):
        url = reverse("jobs:feed")
        return f"{url}?{query}" if query else url

    def items(self, query):
        return vacancies_matching(query)[:FEED_SIZE]

    def item_title(self, vacancy):
        return f"{vacancy.title} – {vacancy.organisation.name}"

    def item_description(self, vacancy):
        # Atom's summary is marked as HTML: the plain-text summary is escaped for it.
        return escape(vacancy.summary)

    def item_link(self, vacancy):
        return vacancy.get_absolute_url()

    def item_pubdate(self, vacancy):
        return vacancy.published_at or vacancy.created_at

    def item_updateddate(self, vacancy):
        return vacancy.updated_at

    def item_author_name(self, vacancy):
        return vacancy.organisation.name

    def item_author_link(self, vacancy):
        return vacancy.organisation.website or None

    def item_categories(self, vacancy):
        return [vacancy.staff_group.name]
