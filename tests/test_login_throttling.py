"""The admin login locks out a username, and an address, after repeated failures (django-axes)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "correct horse battery staple 7"


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True, is_superuser=True)


def attempt(client, username: str, password: str, address: str = "203.0.113.5", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_the_policy_is_five_failures_and_fifteen_minutes_per_username_and_per_address():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_a_username_is_locked_out_after_five_failures_from_any_addresses(client, editor):
    for number in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "editor", "wrong", address=f"198.51.100.{number}")
        assert response.status_code == (200 if number < settings.AXES_FAILURE_LIMIT - 1 else 429)
    # The right password from a fresh address no longer helps during the cool-off.
    response = attempt(client, "editor", PASSWORD, address="192.0.2.77")
    assert response.status_code == 429
    assert "登录已暂停" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_out_after_five_failures_whatever_the_usernames(client, editor):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{number}", "wrong")
    assert attempt(client, "editor", PASSWORD).status_code == 429
    # The editor at another address is not punished for the attacker's address.
    assert logged_in(attempt(client, "editor", PASSWORD, address="192.0.2.10"))


def test_a_successful_login_clears_the_count(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "editor", "wrong")
    assert logged_in(attempt(client, "editor", PASSWORD))
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "editor", "wrong").status_code == 200
    assert logged_in(attempt(client, "editor", PASSWORD))


def test_the_lockout_ends_after_the_cool_off(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "editor", "wrong")
    assert attempt(client, "editor", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1))
    assert logged_in(attempt(client, "editor", PASSWORD))


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_lockout(client, editor):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess{number}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert attempt(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.99").status_code == 429


def test_behind_a_trusted_proxy_the_address_it_appended_counts(client, editor, settings):
    settings.NEWSROOM_BEHIND_PROXY = True
    proxy = "10.0.0.2"
    for number in range(settings.AXES_FAILURE_LIMIT):
        # The client forges the left part; the proxy appends the address it saw.
        attempt(client, f"guess{number}", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=f"1.1.1.{number}, 203.0.113.9")
    assert attempt(client, "editor", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Other visitors behind the same proxy can still log in.
    assert logged_in(attempt(client, "editor", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20"))
