"""Writes of the notices on payroll discounts (avisos): the services module of infonavit.models.Notice.

`issue` is called by infonavit.services inside the transaction of the event that triggers the notice (a credit
granted, settled, a relief solution taking effect or ending), on the locked credit, so the notice exists
exactly when the event does. One notice per event: an event key unique per credit; calling again for the
same event answers the notice already issued. Reads are in notice_selectors.py.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ventanilla.core import audit
from ventanilla.core.errors import DomainError, FieldError
from ventanilla.infonavit import selectors
from ventanilla.infonavit.models import Credit, EmploymentRelation, Notice, SolutionApplication
from ventanilla.infonavit.rules import notices as rules
from ventanilla.infonavit.rules.solutions import effects
from ventanilla.people import access
from ventanilla.people.models import Role
from ventanilla.reference.models import VsmAdjustment
from ventanilla.reference.selectors import vsm_adjustment_at

NOTICE_ISSUER_ROLES = frozenset({Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})


def umi_daily(on: date) -> Decimal:
    """The daily UMI in force on a date. ASSUMED: the parameter table starts in 2020, so an event before its
    first row (a VSM credit recorded with its old origination date) is stated at the first UMI known, and one
    after its last row at the last."""
    row = vsm_adjustment_at(on)
    if row is None:
        rows = VsmAdjustment.objects.order_by("valid_from")
        row = rows.filter(valid_from__gt=on).first() or rows.last()
    if row is None:
        raise DomainError(FieldError("credit", "no_umi", _("No hay valor de la UMI registrado.")))
    return row.umi_daily


def _current_discount(credit: Credit, on: date, sdi_daily=None, sdi_percent=None) -> rules.Discount:
    state = selectors.ledger_state(credit)
    installment = state.monthly_payment + credit.monthly_insurance_and_fees
    vsm = credit.denomination == Credit.Denomination.VSM and sdi_percent is None
    return rules.discount(denomination=credit.denomination, installment=installment,
                          umi_daily=umi_daily(on) if vsm else None, sdi_daily=sdi_daily, sdi_percent=sdi_percent)


def issue(actor, credit: Credit, event: str, on: date, *, key: str,
          application: SolutionApplication | None = None, employment: EmploymentRelation | None = None,
          sdi_percent: Decimal | None = None) -> Notice:
    """Issue the notice of `event` on a locked credit (inside the event's transaction), dated `on`. The
    discount is the credit's installment in force after the event (suspended for a suspensión); the employer
    named is the event's, else the one of the credit's last notice. The same key again: the notice issued."""
    existing = Notice.objects.filter(credit=credit, event_key=key).first()
    if existing is not None:
        return existing
    kind = rules.notice_kind(event)
    last = credit.notices.order_by("-issued_on", "-id").first()
    current = _current_discount(credit, on, employment.daily_sbc if employment and sdi_percent else None,
                                sdi_percent)
    shown = rules.suspended(current) if kind == rules.SUSPENSION else current
    if employment is None and last is not None:
        employment = last.employment
    with transaction.atomic():  # a savepoint: the event's transaction goes on if a concurrent twin won
        notice = Notice.objects.create(
            credit=credit, kind=kind, event=event, event_key=key, issued_on=on,
            effective_from=rules.effective_date(on), discount_type=shown.type, discount_value=shown.value,
            monthly_amount=shown.monthly_amount, previous_amount=last.monthly_amount if last else None,
            regime=credit.regime, employment=employment, application=application,
            actor=actor if getattr(actor, "is_authenticated", False) else None)
    audit.record(actor, "infonavit.issue_notice", notice, after={
        "credit": credit.number, "kind": kind, "event": event, "key": key, "discount_type": shown.type,
        "discount_value": shown.value, "monthly_amount": shown.monthly_amount, "effective_from": notice.effective_from})
    return notice


# Hooks called by infonavit.services (one line each at the event).

def on_credit_granted(actor, credit: Credit) -> Notice:
    return issue(actor, credit, rules.NEW_CREDIT, credit.origination_date, key=rules.NEW_CREDIT)


def on_settled(actor, credit: Credit, on: date) -> Notice:
    """A settled credit: suspensión. Keyed by the ledger entry that settled it, so a credit reopened by a
    correction and settled again gets a second notice, and a replay none."""
    sequence = selectors.ledger_state(credit).next_sequence - 1
    return issue(actor, credit, rules.PAYOFF, on, key=f"{rules.PAYOFF}:{sequence}")


def on_solution_started(actor, credit: Credit, application: SolutionApplication, on: date) -> Notice | None:
    event = rules.event_for_solution(application.code, effects.PAYMENT_CHANGING)
    if event is None:
        return None
    return issue(actor, credit, event, on, key=f"application:{application.pk}:start", application=application)


def on_solution_ended(actor, credit: Credit, application: SolutionApplication, on: date) -> Notice | None:
    event = rules.event_for_solution_end(application.code, effects.PAYMENT_CHANGING)
    if event is None or credit.status != Credit.Status.ACTIVE:
        return None
    return issue(actor, credit, event, on, key=f"application:{application.pk}:end", application=application)


def on_employment_recorded(actor, relation: EmploymentRelation) -> list[Notice]:
    """A relación laboral recorded (savings_services.record_employment): a retención for each active payroll
    credit of the person for which it is a change of employer (rules.employer_change_due), naming it."""
    issued = []
    for credit in Credit.objects.select_for_update().filter(borrower_id=relation.person_id, status=Credit.Status.ACTIVE,
                                                            regime=Credit.Regime.PAYROLL).order_by("id"):
        if rules.employer_change_due(relation.started_on, relation.ended_on, credit.origination_date):
            issued.append(issue(actor, credit, rules.EMPLOYER_CHANGE, relation.started_on,
                                key=f"employment:{relation.pk}", employment=relation))
    return issued


def issue_employer_change(actor, credit: Credit, employment: EmploymentRelation, *,
                          sdi_percent=None) -> Notice:
    """Retención for a payroll credit whose borrower starts with a new employer (Infonavit staff), dated the
    relation's start. `sdi_percent`: when the credit's discount is a percentage of the SDI (the relation's
    SBC stands for the SDI), else the credit's own type. Once per employment relation."""
    access.require_role(actor, NOTICE_ISSUER_ROLES)
    errors = []
    if employment.person_id != credit.borrower_id:
        errors.append(FieldError("employment", "not_borrower",
                                 _("La relación laboral no es de la persona acreditada.")))
    if credit.regime != Credit.Regime.PAYROLL:
        errors.append(FieldError("credit", "not_payroll",
                                 _("Solo un crédito con descuento por nómina lleva aviso al patrón.")))
    percent = None
    if sdi_percent not in (None, ""):
        try:
            percent = Decimal(str(sdi_percent))
        except ArithmeticError:
            percent = Decimal(-1)
        if not Decimal(0) < percent <= Decimal(100):
            errors.append(FieldError("sdi_percent", "out_of_range",
                                     _("El porcentaje del salario va de más de 0 a 100.")))
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        locked = Credit.objects.select_for_update().get(pk=credit.pk)
        if locked.status != Credit.Status.ACTIVE:
            raise DomainError(FieldError("credit", f"credit_{locked.status}",
                                         _("El crédito no está vigente (%(status)s).")
                                         % {"status": locked.get_status_display()}))
        return issue(actor, locked, rules.EMPLOYER_CHANGE, employment.started_on,
                     key=f"employment:{employment.pk}", employment=employment, sdi_percent=percent)
