"""Notice screens: a credit's avisos de retención, suspensión y modificación de descuentos with their two
copies (worker, employer) as PDF, and the carta de cancelación de hipoteca of a settled credit. The borrower
reaches them from their credit page in the portal; officers and staff from the credit page they looked up.
Thin: reads in notice_selectors, documents in pdf."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from ventanilla.core.errors import DomainError, NotFoundError
from ventanilla.infonavit import notice_selectors, pdf
from ventanilla.infonavit.models import Credit
from ventanilla.infonavit.views.credits import READERS, _credit, _download, _language
from ventanilla.people import access
from ventanilla.people.decorators import role_required
from ventanilla.people.models import Role


def _render_notices(request, credit: Credit, *, letter_error: str = "", status: int = 200):
    rows = [{"notice": notice, "copies": [(notice_selectors.SLUG_OF_COPY[copy], copy)
                                          for copy in notice_selectors.copies(notice)]}
            for notice in notice_selectors.notices_for(credit)]
    return render(request, "infonavit/notice_list.html", {
        "credit": credit, "rows": rows, "letter_error": letter_error,
        "is_borrower": access.role_of(request.user) == Role.DERECHOHABIENTE,
    }, status=status)


@role_required(READERS)
def credit_notices(request, number: str):
    return _render_notices(request, _credit(request, number))


@role_required(READERS)
def notice_pdf(request, number: str, notice_id: int, copy: str):
    credit = _credit(request, number)
    try:
        notice = notice_selectors.get_notice(credit, notice_id)
        which = notice_selectors.copy_of(notice, copy)
    except NotFoundError as exc:
        raise Http404 from exc
    content = pdf.notice_pdf(notice, which, language=_language())
    return _download(content, "application/pdf", f"aviso-{notice.kind}-{credit.number}-{notice.pk}-{copy}.pdf")


@role_required(READERS)
def cancellation_letter(request, number: str):
    """The letter of a settled credit; any other is refused on the notices page, saying why (422)."""
    credit = _credit(request, number)
    try:
        letter = notice_selectors.cancellation_letter(credit)
    except DomainError as exc:
        return _render_notices(request, credit, letter_error=str(exc.errors[0].message), status=422)
    content = pdf.cancellation_letter_pdf(letter, issued_on=timezone.localdate(), language=_language())
    return _download(content, "application/pdf", f"carta-cancelacion-hipoteca-{credit.number}.pdf")

