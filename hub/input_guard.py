"""Refuse requests that carry a NUL character, with a 400 page.

Nobody types a NUL; only tools send one (as `%00` in an address or a form). PostgreSQL
refuses NUL in text, so one that reached a query, through a code or token in the address
(`/c/<code>/`, an unsubscribe link), a parameter a view reads itself or the session
cookie, would be a server error. Forms already refuse NUL in their fields; refusing it
here, once, for the address, the query string, the form fields and the cookies answers
every such request the same way, whatever view it was meant for."""

from django.core.exceptions import BadRequest

NUL = "\x00"


def _any_nul(pairs) -> bool:
    return any(NUL in key or NUL in value for key, value in pairs)


def _query_dict_pairs(query_dict):
    return ((key, value) for key, values in query_dict.lists() for value in values)


def has_nul(request) -> bool:
    """Whether the address, the query string, the form fields (not uploaded files, which
    may hold any byte) or the cookies hold a NUL."""
    return (
        NUL in request.path
        or _any_nul(_query_dict_pairs(request.GET))
        or _any_nul(request.COOKIES.items())
        or (request.method == "POST" and _any_nul(_query_dict_pairs(request.POST)))
    )


class RefuseNulMiddleware:
    """Answer 400 Bad Request (templates/400.html) before any view or session lookup sees
    a NUL. Goes before SessionMiddleware, which reads the session cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            raise BadRequest("The request holds a NUL character.")
        return self.get_response(request)
