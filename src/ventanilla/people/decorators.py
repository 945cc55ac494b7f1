"""Screens say which roles may open them (the decision itself is people.access's), and turn a service's
not-found or not-allowed into the HTTP answer."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ventanilla.core.errors import NotFoundError, PermissionDeniedError
from ventanilla.people import access


def role_required(roles):
    """Anonymous → the log-in page (settings.LOGIN_URL); signed in with another role → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not access.has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def domain_http(view):
    """NotFoundError → 404 and PermissionDeniedError → 403, whatever service or selector raised them."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFoundError as exc:
            raise Http404 from exc
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc

    return wrapped
