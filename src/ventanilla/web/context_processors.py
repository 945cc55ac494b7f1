from django.urls import reverse

from ventanilla.people.access import role_of
from ventanilla.web.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    role = role_of(user)
    items = [{"url": reverse(name), "label": label, "active": request.path.startswith(reverse(name))}
             for name, label in menu_for(user)]
    return {"nav_items": items, "current_role": role}
