"""The public job pages: the search of every partner's vacancies, and a vacancy's page
with its schema.org JobPosting. The Atom feed is talent.feeds.VacancyFeed."""

from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from talent.attribution import CAMPAIGN_CODE, CAMPAIGN_SESSION_KEY
from talent.jsonld import job_posting, jsonld_script
from talent.selectors.pathways import vacancy_pathways
from talent.selectors.search import vacancies_similar, vacancy_public_get, vacancy_search


@require_GET
def search(request):
    """Every live vacancy, filtered by the GET parameters. A request from the page's own
    script (`HX-Request`, as htmx sends it) gets only the parts that change."""
    found = vacancy_search(request.GET)
    template = "talent/jobs/_partial.html" if request.htmx else "talent/jobs/search.html"
    response = render(
        request, template, {"search": found, "filterset": found.filterset, "page": found.page}
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
def detail(request, pk, slug=None):
    """A vacancy's page, at its one canonical address. Drafts and those awaiting approval
    are 404; closed, filled or past-closing vacancies still show, closed to applications,
    without JSON-LD. A `?campaign=CODE` link is remembered for the application."""
    vacancy = vacancy_public_get(pk=pk)
    if slug != vacancy.slug:
        url = vacancy.get_absolute_url()
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url, permanent=True)

    campaign = request.GET.get("campaign", "")
    if CAMPAIGN_CODE.match(campaign):
        request.session[CAMPAIGN_SESSION_KEY] = campaign

    is_live = vacancy.is_live
    posting = job_posting(vacancy, absolute=request.build_absolute_uri) if is_live else None
    return render(
        request,
        "talent/jobs/detail.html",
        {
            "vacancy": vacancy,
            "is_live": is_live,
            "similar": vacancies_similar(vacancy=vacancy),
            "pathways": vacancy_pathways(vacancy),
            "jsonld": jsonld_script(posting) if posting else "",
            "canonical_url": request.build_absolute_uri(vacancy.get_absolute_url()),
        },
    )
