"""The benchmark's baseline: the cheapest page the portal's stack can serve, so every
page's time can be read as a multiple of the framework, middleware and network cost."""

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def baseline(request):
    """One trivial query through the full middleware stack, and a tiny response."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")
