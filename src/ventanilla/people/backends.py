"""The session's user, read on every signed-in request: Django's ModelBackend, with get_user by SQL built once
per process (core.rows.get_row) instead of a queryset compiled each time; the same user, the same checks."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError

from ventanilla.core.rows import get_row
from ventanilla.people.models import User


class UserBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            # Refused: stop here. ModelBackend, listed after this one for the sessions it signed in, would hash
            # the password a second time (Argon2: twice the CPU of every failed log-in).
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:  # a session holding something else than an id: nobody, as ModelBackend answers
            return None
        user = get_row(User, {"id": pk})
        return user if user is not None and self.user_can_authenticate(user) else None
