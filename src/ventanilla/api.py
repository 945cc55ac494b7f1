"""The REST API at /api/v1/: one NinjaAPI, routers from each domain, one error format."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import AnonRateThrottle

from ventanilla.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ventanilla.people import access
from ventanilla.people.models import ApiToken
from ventanilla.reference.params import ParamsUnavailable


class BearerToken(HttpBearer):
    """`Authorization: Bearer vnt_…` for other systems; the token's user and role apply."""

    def authenticate(self, request, token: str):
        record = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if record is None:
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        request.user = record.user
        return record.user


class RoleBearerToken(BearerToken):
    def __init__(self, roles):
        super().__init__()
        self.roles = roles

    def authenticate(self, request, token: str):
        user = super().authenticate(request, token)
        if user is not None:
            access.require_role(user, self.roles)
        return user


class RoleSession(SessionAuth):
    def __init__(self, roles):
        super().__init__()
        self.roles = roles

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            access.require_role(user, self.roles)
        return user


def private(roles=None) -> list:
    """Auth for a private endpoint: a session (screens, with CSRF) or a bearer token (other systems).
    With `roles`, other roles get a 403 before the request body is even read."""
    if roles is None:
        return [BearerToken(), SessionAuth()]
    return [RoleBearerToken(roles), RoleSession(roles)]


PRIVATE = private()


class PublicRateThrottle(AnonRateThrottle):
    """Per client address (REMOTE_ADDR, or X-Forwarded-For behind NUM_PROXIES trusted proxies).
    The limit is read on each request so that settings changes apply without re-declaring routes."""

    def __init__(self):
        super().__init__(self._rate())

    @staticmethod
    def _rate() -> str:
        return f"{settings.PUBLIC_RATE_LIMIT_PER_MINUTE}/min"

    def allow_request(self, request) -> bool:
        self.num_requests, self.duration = self.parse_rate(self._rate())
        return super().allow_request(request)


def public_throttle() -> list[AnonRateThrottle]:
    """Simulators and parameters need no account; each client address gets a per-minute budget."""
    return [PublicRateThrottle()]


api = NinjaAPI(
    title="Ventanilla API",
    version="1",
    description="IMSS and Infonavit services for Mexicans abroad. Errors: `{\"errors\": [{\"field\", \"code\", "
    "\"message\"}]}`; messages follow Accept-Language (es default, en).",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ParamsUnavailable)
def params_unavailable(request, exc: ParamsUnavailable):
    from ventanilla.reference.selectors import unavailable_message

    message = unavailable_message(exc)
    return api.create_response(
        request, {"errors": [{"field": "date", "code": "out_of_range", "message": message}]}, status=422
    )


@api.exception_handler(PermissionDeniedError)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": _("No tiene permiso para esta operación.")}, status=403)


@api.exception_handler(NotFoundError)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("No encontrado.")}, status=404)


@api.exception_handler(ConflictError)
def conflict(request, exc: ConflictError):
    return api.create_response(request, {"errors": [{"field": "Idempotency-Key", "code": exc.code,
                                                     "message": str(exc.message)}]}, status=409)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Inicie sesión o envíe un token válido.")}, status=401)


def _validation_message(error: dict) -> tuple[str, str]:
    kind = error.get("type", "")
    if kind == "missing":
        return "required", _("Este dato es obligatorio.")
    if kind in {"extra_forbidden"}:
        return "unknown_field", _("Este dato no se esperaba.")
    if kind.startswith("date"):
        return "invalid_date", _("Use una fecha válida (AAAA-MM-DD).")
    if kind.startswith("decimal") or kind.startswith("float") or kind.startswith("int"):
        return "invalid_number", _("Use un número válido.")
    if kind in {"enum", "literal_error"}:
        return "invalid_choice", _("El valor no está entre las opciones permitidas.")
    return "invalid", _("El valor no es válido.")


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        code, message = _validation_message(error)
        errors.append({"field": ".".join(location) or "body", "code": code, "message": message})
    return api.create_response(request, {"errors": errors}, status=422)


def _register_routers() -> None:
    from ventanilla.imss.api import router as imss_router
    from ventanilla.payments.api import router as payments_router
    from ventanilla.people.api import router as people_router
    from ventanilla.reference.api import router as reference_router

    api.add_router("/reference", reference_router)
    api.add_router("/people", people_router)
    api.add_router("/payments", payments_router)
    api.add_router("/imss", imss_router)


_register_routers()
