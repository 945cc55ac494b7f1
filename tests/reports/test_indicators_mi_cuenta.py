"""Mi Cuenta indicators against a hand-built data set: accounts, states, measured daily users and session
length, most used services; filters, the officer's consulate and suppression."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import make_person, make_user
from ventanilla.people.models import Role, User
from ventanilla.reports.indicators import Filters, compute
from ventanilla.reports.services import record_portal_use


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


@pytest.fixture
def data(db, consulate_la, consulate_chicago):
    """10 accounts of people attended in Los Angeles (7 from Jalisco, 3 from Michoacán): 5 opened in January
    2026, 5 in February; staff accounts never count. Usage on 2 Nov 2026: five users, sessions of 60 to 300
    seconds, all read their statement; two of them also saw their IMSS affiliation. On 3 Nov: 2 users."""
    citizens = []
    for i in range(10):
        person = make_person(consulate_la, mx_state="JC" if i < 7 else "MN")
        user = make_user(Role.DERECHOHABIENTE, person=person)
        citizens.append(user)
        User.objects.filter(pk=user.pk).update(date_joined=at(date(2026, 1 if i < 5 else 2, 10 + i)))
    make_user(Role.IMSS_STAFF)
    day = date(2026, 11, 2)
    for i, user in enumerate(citizens[:5]):
        record_portal_use(user.pk, day, at(day), 1, {"infonavit:statement": 1})
        services = {"infonavit:statement": i + 1}
        if i < 2:
            services["imss:affiliation"] = 1
        record_portal_use(user.pk, day, at(day) + timedelta(seconds=60 * (i + 1)), 2, services)
    for user in citizens[5:7]:
        record_portal_use(user.pk, date(2026, 11, 3), at(date(2026, 11, 3)), 1, {"web:portal": 1})
    return {"citizens": citizens, "supervisor": make_user(Role.SUPERVISOR)}


def rows(user, name, **filters):
    return compute(user, name, Filters(**filters))


def test_accounts_new_by_month_with_running_total(data):
    boss = data["supervisor"]
    assert rows(boss, "mi_cuenta_accounts_by_month").rows == [
        {"month": date(2026, 1, 1), "new_accounts": 5, "accounts": 5},
        {"month": date(2026, 2, 1), "new_accounts": 5, "accounts": 10},
    ]
    assert rows(boss, "mi_cuenta_accounts_by_month", start=date(2026, 2, 1)).rows == [
        {"month": date(2026, 2, 1), "new_accounts": 5, "accounts": 10}]  # January's 5 carried in the total
    table = rows(boss, "mi_cuenta_accounts_by_month", state="JC")
    assert table.rows == [{"month": date(2026, 1, 1), "new_accounts": 5, "accounts": 5}]
    assert table.suppressed == 1  # February's 2 from Jalisco


def test_accounts_by_state_most_first(data, consulate_la):
    # Michoacán's 3 are hidden, and Jalisco's 7 too: the 10 accounts at the close of February minus 7 give 3.
    table = rows(data["supervisor"], "mi_cuenta_accounts_by_state")
    assert table.rows == [] and table.suppressed == 2
    table = rows(data["supervisor"], "mi_cuenta_accounts_by_state", state="JC")
    assert table.rows == [{"state": "JC", "name": "Jalisco", "accounts": 7}] and table.suppressed == 0


def test_daily_users_and_measured_session_length(data):
    table = rows(data["supervisor"], "mi_cuenta_daily_users")
    assert table.rows == [{"day": date(2026, 11, 2), "users": 5, "requests": 15,
                           "average_session_seconds": Decimal("180"), "average_session_minutes": Decimal("3.00")}]
    assert table.suppressed == 1  # 3 Nov: 2 users
    assert any("SUPUESTO" in note for note in table.notes)
    # Whole months: from 3 November means from 1 November, so the 2nd is still there.
    assert rows(data["supervisor"], "mi_cuenta_daily_users", start=date(2026, 11, 3)).rows == table.rows
    assert rows(data["supervisor"], "mi_cuenta_daily_users", start=date(2026, 12, 1)).rows == []


def test_most_used_services(data):
    table = rows(data["supervisor"], "mi_cuenta_most_used_services", start=date(2026, 11, 1),
                 end=date(2026, 11, 30))
    assert table.rows == [{"service": "infonavit:statement", "users": 5, "requests": 20}]
    assert table.suppressed == 2  # imss:affiliation (2 users), web:portal (2 users)


def test_officers_see_their_consulate_only(data, consulate_la, consulate_chicago):
    officer_chicago = make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago)
    assert rows(officer_chicago, "mi_cuenta_daily_users", consulate=consulate_la.pk).rows == []
    assert rows(officer_chicago, "mi_cuenta_accounts_by_state").rows == []
    officer_la = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    assert rows(officer_la, "mi_cuenta_daily_users", consulate=consulate_chicago.pk).rows[0]["users"] == 5
