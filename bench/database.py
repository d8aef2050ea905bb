"""The benchmarks' database work, run as a subprocess with the server's environment (SQLite or PostgreSQL).

python bench/database.py prepare [N]      # migrate, load the package, a teacher and N open class sessions
python bench/database.py count SESSION_ID # the feedback stored for a class session, and each comment
python bench/database.py live CLASSES      # as prepare, then CLASSES teachers, each with a teacher-paced class
python bench/database.py explain SESSION_ID  # a student's poll: its queries and the database's plan for each
"""

import json
import sys

from common import migrate_and_load_package, setup_django

TEACHER = "bench-teacher"


def prepare(classes: int = 1) -> dict:
    """`classes` open class sessions, each with the most places a class may have (a school's burst of 300 fits
    one; each throughput phase, whose every simulated student is a new device, has a class of its own)."""
    from django.contrib.auth import get_user_model

    from lessons.models import MAX_STUDENTS_LIMIT, Package
    from lessons.services import class_session_open

    migrate_and_load_package()
    package = Package.objects.latest_versions().get(slug="personal-plan")
    teacher, created = get_user_model().objects.get_or_create(username=TEACHER)
    if created:
        teacher.set_unusable_password()
        teacher.save()
    opened = [
        class_session_open(
            teacher=teacher,
            package=package,
            label=f"Benchmark class {number}",
            max_students=MAX_STUDENTS_LIMIT,
        )
        for number in range(1, classes + 1)
    ]
    return {
        "join_code": opened[0].join_code,
        "class_session": opened[0].pk,
        "join_codes": [class_session.join_code for class_session in opened],
        "package": package.pk,
    }


def count(class_session_id: int) -> dict:
    from django.db.models import Count

    from feedback.models import FeedbackAnswer, FeedbackResponse

    responses = FeedbackResponse.objects.filter(class_session_id=class_session_id)
    by_stage = dict(responses.values_list("stage").annotate(n=Count("id")).values_list("stage", "n"))
    comments = (
        FeedbackAnswer.objects.filter(response__class_session_id=class_session_id, text__startswith="bench ")
        .values("text")
        .annotate(responses=Count("response", distinct=True))
    )
    return {
        "checkin": by_stage.get("checkin", 0),
        "feedback": by_stage.get("feedback", 0),
        "comments": {row["text"]: row["responses"] for row in comments},
    }


LIVE_PASSWORD = "bench-live-teacher"


def live(classes: int) -> dict:
    """`classes` teachers (one password hash for all: hashing is slow), each with an open teacher-paced class
    on the ground rules; the main path's steps in order, and each choice step's option positions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from lessons import live
    from lessons.models import ClassSession, Pace, Package
    from lessons.services import class_session_open
    from lessons.walkthrough import route_for

    migrate_and_load_package()
    package = Package.objects.latest_versions().get(slug="personal-plan")
    password = make_password(LIVE_PASSWORD)
    sessions = []
    for number in range(1, classes + 1):
        teacher = get_user_model().objects.create(username=f"bench-live-{number}", password=password)
        class_session = class_session_open(teacher=teacher, package=package, label=f"Live class {number}")
        ClassSession.objects.filter(pk=class_session.pk).update(pace=Pace.TEACHER, live_slide=live.RULES)
        sessions.append(
            {"pk": class_session.pk, "join_code": class_session.join_code, "teacher": teacher.username}
        )
    steps = [step for step in route_for(package.pk).steps if not step.detour]
    return {
        "classes": sessions,
        "password": LIVE_PASSWORD,
        "steps": [step.key for step in steps],
        "choices": {
            step.key: list(step.options.values_list("position", flat=True))
            for step in steps
            if step.kind == "choice"
        },
    }


def explain(class_session_id: int) -> dict:
    """A student's poll as the app makes it (lessons.live.live_state), with the database's plan for each of
    its queries after ANALYZE, so that the plan is the one the database would choose for this data."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lessons import live

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as captured:
        live.live_state(class_session_id)
    plans = []
    for query in captured.captured_queries:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + query["sql"])
            rows = cursor.fetchall()
        plan = [row[-1] for row in rows] if connection.vendor == "sqlite" else [row[0] for row in rows]
        plans.append({"sql": query["sql"], "plan": plan})
    return {"vendor": connection.vendor, "queries": plans}


def main() -> None:
    setup_django()
    if sys.argv[1] == "prepare":
        result = prepare(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    elif sys.argv[1] == "count":
        result = count(int(sys.argv[2]))
    elif sys.argv[1] == "live":
        result = live(int(sys.argv[2]))
    elif sys.argv[1] == "explain":
        result = explain(int(sys.argv[2]))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
