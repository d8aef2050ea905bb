"""The benchmarks' database work, run as a subprocess with the server's environment (SQLite or PostgreSQL).

python bench/database.py prepare          # migrate, load the package, a teacher and an open class session
python bench/database.py count SESSION_ID # the feedback stored for a class session, and each comment
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_FILE = ROOT / "packages" / "personal-plan.yaml"
TEACHER = "bench-teacher"


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare() -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from lessons.models import Package
    from lessons.package_file import load_package_file
    from lessons.services import class_session_open

    call_command("migrate", verbosity=0)
    load_package_file(PACKAGE_FILE)
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
    setup()
    if sys.argv[1] == "prepare":
        result = prepare()
    elif sys.argv[1] == "count":
        result = count(int(sys.argv[2]))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
