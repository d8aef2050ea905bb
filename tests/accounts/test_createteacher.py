"""createteacher: a teacher or pilot-lead account from the command line, with Django's password checks."""

import pytest

from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db


def test_createteacher_makes_an_account_that_can_log_in(client, monkeypatch, capsys):
    from django.core.management import call_command

    monkeypatch.setenv("TEACHER_PASSWORD", PASSWORD)
    call_command("createteacher", "dana", "--noinput")
    assert "Created teacher account 'dana'" in capsys.readouterr().out
    assert client.login(username="dana", password=PASSWORD)
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.get(username="dana").is_staff


def test_createteacher_refuses_weak_passwords_and_duplicates(db, monkeypatch, alice):
    from django.core.management import CommandError, call_command

    monkeypatch.setenv("TEACHER_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        call_command("createteacher", "erin", "--noinput")
    monkeypatch.setenv("TEACHER_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="already an account called 'alice'"):
        call_command("createteacher", "alice", "--noinput")
