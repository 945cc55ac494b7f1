"""Any saved or deleted parameter row makes every cached snapshot stale (one version counter)."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from ventanilla.reference.models import PARAMETER_MODELS
from ventanilla.reference.selectors import VERSION_KEY


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def bump_reference_version(**_kwargs) -> None:
    # After the commit: a reader between save and commit would otherwise cache old values under the new version.
    transaction.on_commit(_bump)


for _model in PARAMETER_MODELS:
    post_save.connect(bump_reference_version, sender=_model, dispatch_uid=f"bump-{_model.__name__}")
    post_delete.connect(bump_reference_version, sender=_model, dispatch_uid=f"bump-del-{_model.__name__}")
