from django.urls import reverse

from ventanilla.people.access import role_of
from ventanilla.web.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    role = role_of(user)
    urls = [(reverse(name), label) for name, label in menu_for(user)]  # one reverse per item: every page pays it
    items = [{"url": url, "label": label, "active": request.path.startswith(url)} for url, label in urls]
    return {"nav_items": items, "current_role": role}
