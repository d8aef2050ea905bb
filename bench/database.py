"""The benchmarks' database work, run as a subprocess with the server's environment (SQLite or PostgreSQL).

python bench/database.py prepare          # migrate, load the package, a teacher and an open class session
python bench/database.py count SESSION_ID # the feedback stored for a class session, and each comment
"""

import json
import sys

from common import migrate_and_load_package, setup_django

TEACHER = "bench-teacher"


def prepare() -> dict:
    from django.contrib.auth import get_user_model

    from lessons.models import Package
    from lessons.services import class_session_open

    migrate_and_load_package()
    package = Package.objects.latest_versions().get(slug="personal-plan")
    teacher, created = get_user_model().objects.get_or_create(username=TEACHER)
    if created:
        teacher.set_unusable_password()
        teacher.save()
    class_session = class_session_open(teacher=teacher, package=package, label="Benchmark class")
    return {"join_code": class_session.join_code, "class_session": class_session.pk, "package": package.pk}


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


def main() -> None:
    setup_django()
    if sys.argv[1] == "prepare":
        result = prepare()
    elif sys.argv[1] == "count":
        result = count(int(sys.argv[2]))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
