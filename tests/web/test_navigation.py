"""The menu's URLs are reversed once per process (web.context_processors._menu_url) and stay right: the same as
reverse() for every role's entries, under the script prefix the site is served at, and marking the current page."""

import pytest
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix

from tests.conftest import make_user
from ventanilla.people.models import Role
from ventanilla.web.context_processors import navigation
from ventanilla.web.navigation import menu_for


@pytest.mark.parametrize("role", [Role.DERECHOHABIENTE, Role.CONSULAR_OFFICER, Role.IMSS_STAFF,
                                  Role.INFONAVIT_STAFF, Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_each_roles_menu_links_where_reverse_does_and_marks_the_current_page(db, role, consulate_la):
    user = make_user(role, consulate=consulate_la if role == Role.CONSULAR_OFFICER else None)
    expected = [reverse(name) for name, _label in menu_for(user)]
    request = RequestFactory().get(expected[-1])
    request.user = user
    for _ in range(2):  # the second time from the process's memory
        items = navigation(request)["nav_items"]
        assert [item["url"] for item in items] == expected
        assert [item["active"] for item in items] == [expected[-1].startswith(url) for url in expected]
        assert items[-1]["active"] and not all(item["active"] for item in items)


def test_a_script_prefix_is_part_of_the_remembered_url(db):
    user = make_user(Role.SUPERVISOR)
    request = RequestFactory().get("/")
    request.user = user
    plain = [item["url"] for item in navigation(request)["nav_items"]]
    set_script_prefix("/ventanilla/")
    try:
        prefixed = [item["url"] for item in navigation(request)["nav_items"]]
    finally:
        set_script_prefix("/")
    assert prefixed == ["/ventanilla" + url for url in plain]
    assert [item["url"] for item in navigation(request)["nav_items"]] == plain
