"""The session's user, read on every signed-in request: Django's ModelBackend, with get_user by SQL built once
per process (core.rows.get_row) instead of a queryset compiled each time; the same user, the same checks."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from ventanilla.core.rows import get_row
from ventanilla.people.models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:  # a session holding something else than an id: nobody, as ModelBackend answers
            return None
        user = get_row(User, {"id": pk})
        return user if user is not None and self.user_can_authenticate(user) else None
