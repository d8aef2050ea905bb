"""Write a package back out as the file format that load_package reads (packages/README.md): YAML, or a zip
of package.yaml and its pictures when it has any."""

import yaml

from lessons.models import Package, Picture
from lessons.package_zip import write_package_zip
from lessons.step_kinds import CHILDREN, STEP_KINDS


def package_to_file_data(package: Package) -> dict:
    """The package in the file format's own shape and field names, ready for yaml.safe_dump."""
    steps = package.steps.prefetch_related(*(children.related_name for children in CHILDREN))
    data = {
        "slug": package.slug,
        "version": package.version,
        "title": package.title,
        "audience": package.audience,
        "ground_rules": package.rules,
        "teacher_notes": package.teacher_notes,
        **_picture(
            package.start_picture_id, package.start_picture_alt, package.start_picture_decorative, "start_"
        ),
        "support_services": [
            _without_blanks(
                {
                    "key": s.key,
                    "name": s.name,
                    "audience": s.audience if s.audience != s.Audience.YOUNG_PEOPLE else "",
                    "description": s.description,
                    "phone": s.phone,
                    "url": s.url,
                    "hours": s.hours,
                }
            )
            for s in package.support_services.all()
        ],
        "steps": [_step(step) for step in steps],
        "plan": {
            "strategies": [
                _without_blanks(
                    {
                        "key": strategy.key,
                        "title": strategy.title,
                        "description": strategy.description,
                        "lines": [line.text for line in strategy.lines.all()],
                    }
                )
                for strategy in package.strategies.prefetch_related("lines")
            ],
            "pressure_signs": [sign.text for sign in package.pressure_signs.all()],
            "already_happened": [
                {"title": item.title, "text": item.text} for item in package.already_happened_steps.all()
            ],
        },
        "questions": [
            _without_blanks(
                {
                    "key": q.key,
                    "kind": q.kind,
                    "text": q.text,
                    "low_label": q.low_label,
                    "high_label": q.high_label,
                    "choices": q.choice_list if q.kind != q.Kind.KNOWLEDGE else [],
                    "asked": [
                        stage for stage, on in [("checkin", q.in_checkin), ("feedback", q.in_feedback)] if on
                    ],
                    "needs_plan": q.needs_plan,
                }
            )
            | ({"answer": q.answer} if q.kind == q.Kind.KNOWLEDGE else {})  # None (not set) is refused
            for q in package.questions.all()
        ],
    }
    return _without_blanks(data)


def _step(step) -> dict:
    data = {
        "key": step.key,
        "kind": step.kind,
        "title": step.title,
        "short_title": step.short_title,
        "body": step.body,
        "question": step.question,
        "share": step.share,
        "words": step.word_list,
        **_picture(step.picture_id, step.picture_alt, step.picture_decorative),
        "detour": step.detour,
        "next": step.next_key,
        "teacher_notes": step.teacher_notes,
    }
    if children := STEP_KINDS[step.kind].children:
        data[children.file_list] = [
            _without_blanks({name: getattr(row, field) for name, field in children.file_fields})
            for row in getattr(step, children.related_name).all()
        ]
    return _without_blanks(data)


def _picture(sha256: str | None, alt: str, decorative: bool, prefix: str = "") -> dict:
    if not sha256:
        return {}
    return {
        f"{prefix}picture": Picture(sha256=sha256).file_name,
        f"{prefix}picture_alt": alt,
        f"{prefix}picture_decorative": decorative,
    }


def _without_blanks(data: dict) -> dict:
    """Leave out what a file need not say: empty text and lists, and false flags (false unless given)."""
    return {
        key: value for key, value in data.items() if value is not False and value not in ("", None, [], {})
    }


class _Dumper(yaml.SafeDumper):
    """Long text as readable block scalars, as a person would write the file; never an alias, which the
    loader refuses."""

    def ignore_aliases(self, data):
        return True


def _represent_text(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def package_to_yaml(package: Package) -> str:
    header = f"# {package.title}, version {package.version}. Load with: manage.py load_package FILE\n"
    return header + yaml.dump(
        package_to_file_data(package), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )


def package_pictures(package: Package) -> dict[str, bytes]:
    """The package's pictures by their names in its file (pictures/<sha256>.webp)."""
    shas = set(package.steps.exclude(picture=None).values_list("picture_id", flat=True))
    if package.start_picture_id:
        shas.add(package.start_picture_id)
    return {
        Picture(sha256=sha).file_name: bytes(webp)
        for sha, webp in Picture.objects.filter(sha256__in=shas).values_list("sha256", "webp")
    }


def package_file(package: Package) -> tuple[str, bytes, str]:
    """The package as a file to download: (file name, bytes, content type). YAML when it has no pictures, or a
    zip of package.yaml and its pictures."""
    text = package_to_yaml(package)
    stem = f"{package.slug}-v{package.version}"
    pictures = package_pictures(package)
    if not pictures:
        return f"{stem}.yaml", text.encode(), "application/x-yaml; charset=utf-8"
    return f"{stem}.zip", write_package_zip(text, pictures), "application/zip"
