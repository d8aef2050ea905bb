"""The batch-release migration: responses stored before it stay in results."""

import pytest

from feedback.models import FeedbackResponse
from tests.feedback.builders import store_many
from tests.migrations import migrated_back_to, table_columns

BEFORE_BATCHES = [("feedback", "0004_school_keys_and_bundle_signatures")]


@pytest.mark.django_db(transaction=True)
def test_responses_stored_before_batches_stay_in_results(class_session):
    store_many([{"kept-attention": 4}] * 3, package=class_session.package, class_session=class_session)
    assert FeedbackResponse.objects.released().count() == 0  # three alone would wait today
    with migrated_back_to(BEFORE_BATCHES):
        columns = table_columns(FeedbackResponse)
        assert "released" not in columns  # really the database as it was before
    assert FeedbackResponse.objects.released().count() == 3
