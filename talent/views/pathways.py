"""Career pathways, public, under /careers/ (namespace "pathways"): every published
pathway, and one pathway's steps with the live vacancies at each. Hub admins write the
pathways in the Django admin; one not published is 404 here."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from talent.selectors.pathways import pathway_steps, published_pathway, published_pathways


@require_GET
def pathway_list(request):
    return render(request, "talent/pathways/pathway_list.html", {"pathways": published_pathways()})


@require_GET
def pathway(request, slug):
    career_pathway = published_pathway(slug)
    context = {"pathway": career_pathway, "steps": pathway_steps(career_pathway)}
    return render(request, "talent/pathways/pathway.html", context)
