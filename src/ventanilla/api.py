"""The REST API at /api/v1/: one NinjaAPI, routers from each domain, one error format."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from ventanilla.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ventanilla.reference.params import ParamsUnavailable

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
    field = getattr(exc, "field", "Idempotency-Key")  # e.g. operation_id for a payment recorded with other data
    return api.create_response(request, {"errors": [{"field": field, "code": exc.code,
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
    from ventanilla.infonavit.api import router as infonavit_router
    from ventanilla.payments.api import router as payments_router
    from ventanilla.people.api import router as people_router
    from ventanilla.reference.api import router as reference_router

    api.add_router("/reference", reference_router)
    api.add_router("/people", people_router)
    api.add_router("/payments", payments_router)
    api.add_router("/imss", imss_router)
    api.add_router("/infonavit", infonavit_router)
    from ventanilla.offers.api import router as offers_router  # offer catalogue and its feed (issue 5)

    api.add_router("/infonavit/offers", offers_router)
    from ventanilla.reports.api import router as reports_router  # tablero figures (issue 6)

    api.add_router("/reports", reports_router)


_register_routers()
