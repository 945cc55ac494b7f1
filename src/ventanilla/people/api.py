from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ventanilla.core import idempotency
from ventanilla.people import access, selectors, services
from ventanilla.people.api_auth import PRIVATE, private

router = Router(tags=["people"], auth=PRIVATE)


class PersonIn(Schema):
    model_config = {"extra": "forbid"}

    first_names: str
    last_name_1: str
    last_name_2: str = ""
    curp: str
    nss: str = ""
    rfc: str = ""
    birth_date: str
    sex: str
    nationality: str = "MX"
    phone: str = ""
    email: str = ""
    mx_state: str
    mx_municipality: str
    mx_postal_code: str
    abroad_country: str = ""
    abroad_region: str = ""
    abroad_city: str = ""
    consulate: str = Field("", description="Consulate code; officers always register at their own")


class PersonOut(Schema):
    id: int
    full_name: str
    first_names: str
    last_name_1: str
    last_name_2: str
    curp: str
    nss: str | None
    rfc: str
    birth_date: date
    sex: str
    phone: str
    email: str
    mx_state: str
    mx_municipality: str
    mx_postal_code: str
    abroad_country: str
    abroad_region: str
    abroad_city: str
    consulate: str | None = None

    @staticmethod
    def resolve_consulate(obj) -> str | None:
        if isinstance(obj, dict):  # a replayed idempotent answer
            return obj.get("consulate")
        return obj.consulate.code if obj.consulate_id else None


class MeOut(Schema):
    username: str
    role: str
    consulate: str | None
    person_id: int | None


@router.get("/me", response=MeOut, summary="The signed-in account")
def me(request: HttpRequest):
    user = request.auth
    return {"username": user.get_username(), "role": access.role_of(user),
            "consulate": user.consulate.code if user.consulate_id else None, "person_id": user.person_id}


@router.get("", response=list[PersonOut], auth=private(access.PERSON_READER_ROLES),
            summary="Persons this account may see")
@paginate
def list_persons(request: HttpRequest, q: str = ""):
    return selectors.search_persons(request.auth, q)


@router.get("/{person_id}", response=PersonOut, summary="One person (404 when not yours to see)")
def get_person(request: HttpRequest, person_id: int):
    return access.get_visible_person(request.auth, person_id)


@router.post("", response={201: PersonOut}, auth=private(access.PERSON_REGISTRAR_ROLES), summary="Register a person (accepts an Idempotency-Key header)")
def register_person(request: HttpRequest, payload: PersonIn):
    body = payload.dict()

    def write():
        person = services.register_person(request.auth, body)
        return 201, PersonOut.from_orm(person).dict(by_alias=False)

    status, answer = idempotency.run_once(
        request.headers.get("Idempotency-Key"), f"people.register:{request.auth.pk}", body, write
    )
    return Status(status, answer)
