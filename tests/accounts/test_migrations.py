"""FailureCount's move from lessons to accounts changes Django's record only: the table and its rows stay."""

from datetime import timedelta

import pytest
from django.db import connection

from accounts import throttle
from accounts.models import FailureCount
from tests.migrations import migrated_back_to

BEFORE_THE_MOVE = [("lessons", "0004_classsession_class_word_places"), ("accounts", None)]
WINDOW = 15 * 60


@pytest.mark.django_db(transaction=True)
def test_a_cool_off_counted_before_the_move_still_holds_after_it():
    key = throttle.failure_key("login", "alice|192.0.2.1")
    window = throttle._window_start(WINDOW)
    with migrated_back_to(BEFORE_THE_MOVE) as executor:
        old_state = executor.loader.project_state(BEFORE_THE_MOVE[:1])
        assert ("accounts", "failurecount") not in old_state.models  # really the project as it was
        OldFailureCount = old_state.apps.get_model("lessons", "FailureCount")
        OldFailureCount.objects.create(key=key, window_start=window, count=5)
        OldFailureCount.objects.create(key="old", window_start=window - timedelta(days=1), count=1)
    assert FailureCount._meta.db_table == "lessons_failurecount"
    assert sorted(FailureCount.objects.values_list("key", "count")) == [(key, 5), ("old", 1)]
    assert throttle.over_limit({key: 5}, WINDOW)  # the account is still cooling off


@pytest.mark.django_db(transaction=True)
def test_moving_back_and_forth_keeps_the_table():
    FailureCount.objects.create(key="kept", window_start=throttle._window_start(WINDOW), count=2)
    with migrated_back_to(BEFORE_THE_MOVE):
        assert FailureCount._meta.db_table in connection.introspection.table_names()
    assert list(FailureCount.objects.values_list("key", "count")) == [("kept", 2)]
