from django.urls import reverse

from config.gunicorn_logging import STUDENT_POLL_PATH


def test_the_access_log_leaves_out_the_path_students_poll():
    assert reverse("lessons:live_state") == STUDENT_POLL_PATH
