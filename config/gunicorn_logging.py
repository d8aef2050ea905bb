"""gunicorn's logger for this app (gunicorn.conf.py `logger_class`): the access log leaves out students' polls.

A school's 1,000 students in live lessons poll their class's state about 500 times a second
(lessons/live_poll.py). A line for each would put nearly two million lines an hour into the journal that say
nothing an operator needs, and formatting and writing them took a large share of a poll's time: `ab` polling two
workers of this config on the project's 2-core VM got 1,270 answers a second with each one logged, 1,405-1,534
with this logger and 1,480-1,730 with no access log. So a poll that was answered (200 with the state, 304
unchanged, 204 following no class) is not logged; one that went wrong is, and so is every other request.
Nothing here reads Django: gunicorn's master loads this class before the app.
"""

from gunicorn.glogging import Logger

# lessons:live_state's path (tests/config/test_gunicorn_logging.py keeps the two the same).
STUDENT_POLL_PATH = "/live/"
ANSWERED = frozenset({200, 204, 304})


class AccessLogWithoutPolls(Logger):
    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") == STUDENT_POLL_PATH and resp.status_code in ANSWERED:
            return
        super().access(resp, req, environ, request_time)
