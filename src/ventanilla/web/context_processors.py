from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from ventanilla.people.access import role_of
from ventanilla.web.navigation import menu_for


@lru_cache(maxsize=512)
def _menu_url(name: str, urlconf: str, prefix: str) -> str:
    """A menu entry's URL: the same for the same URLconf and script prefix, so reversed once per process
    (reversing every item on every page cost about 0.1 ms a request, BENCHMARKS.md "HTTP load")."""
    return reverse(name, urlconf=urlconf)


# The links every page's header carries (web/base.html), reversed once like the menu's.
SITE_URLS = {"home": "web:home", "set_language": "set_language", "logout": "web:logout", "login": "web:login"}


def navigation(request):
    user = getattr(request, "user", None)
    role = role_of(user)
    urlconf, prefix = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    items = [{"url": url, "label": label, "active": request.path.startswith(url)}
             for url, label in ((_menu_url(name, urlconf, prefix), label) for name, label in menu_for(user))]
    site_urls = {key: _menu_url(name, urlconf, prefix) for key, name in SITE_URLS.items()}
    return {"nav_items": items, "current_role": role, "site_urls": site_urls}
