"""Plans filled in through the real forms, as a student's browser would: for the PDF benchmark and the tests."""

from lessons.models import Package

PARTS = ["strategies", "lines", "words", "signs", "people", "help", "already", "why"]


def post_part(client, key: str, data: dict, *, back: bool = False):
    return client.post(f"/plan/{key}/", {**data, "back" if back else "next": ""})


def typical_answers(package: Package) -> dict[str, dict]:
    """What a student might choose and write, part by part, for the given package."""
    say_no, humour = package.strategies.order_by("position")[:2]
    first_no, second_no = say_no.lines.order_by("position")[:2]
    joke = humour.lines.order_by("position").first()
    signs = list(package.pressure_signs.order_by("position").values_list("pk", flat=True)[:2])
    services = list(package.support_services.order_by("position").values_list("key", flat=True)[:2])
    return {
        "strategies": {"strategies": [say_no.key, humour.key]},
        "lines": {f"lines_{say_no.key}": [first_no.pk, second_no.pk], f"lines_{humour.key}": [joke.pk]},
        "words": {
            f"line_{first_no.pk}": "No way. I'm not sending that, Jo.",
            f"line_{second_no.pk}": second_no.text,
            f"line_{joke.pk}": "Here's a potato 🥔 instead",
            "own_1": "I'm logging off now, talk tomorrow",
            "own_2": "",
            "own_3": "",
        },
        "signs": {"signs": signs, "own_signs": "They say I'm being boring\nThey won't take no"},
        "people": {"person_1": "my aunt Bea", "person_2": "form tutor", "person_3": "", "person_4": ""},
        "help": {"services": services},
        "already": {},
        "why": {"why": "I decide who sees me."},
    }


def build_plan(client, package: Package, **overrides: dict) -> dict[str, dict]:
    """Fill in every part in order (each POST goes forward) and return the answers sent."""
    answers = {**typical_answers(package), **overrides}
    for key in PARTS:
        response = post_part(client, key, answers[key])
        assert response.status_code == 302, (key, response.content.decode()[:3000])
    return answers


def filled(text: str, length: int) -> str:
    """`text` repeated to exactly `length` characters, ending on a letter (the forms strip spaces)."""
    result = (text * (length // len(text) + 1))[:length]
    return result[:-1] + "x" if result[-1].isspace() else result


def largest_answers(package: Package) -> dict[str, dict]:
    """Everything the forms allow: every strategy, line, sign and service, and every box full to its limit."""
    from plans import forms

    strategies = list(package.strategies.order_by("position").prefetch_related("lines"))
    lines = [line for strategy in strategies for line in strategy.lines.all()]
    words = {f"line_{line.pk}": filled(f"{line.text} ", forms.LINE_LENGTH) for line in lines}
    words.update(
        {
            f"own_{n}": filled(f"My own line {n}, said calmly and clearly. ", forms.LINE_LENGTH)
            for n in (1, 2, 3)
        }
    )
    return {
        "strategies": {"strategies": [strategy.key for strategy in strategies]},
        "lines": {f"lines_{s.key}": [line.pk for line in s.lines.all()] for s in strategies},
        "words": words,
        "signs": {
            "signs": list(package.pressure_signs.values_list("pk", flat=True)),
            "own_signs": filled("They say nobody will ever know.\n", forms.OWN_SIGNS_LENGTH),
        },
        "people": {
            f"person_{n}": filled(f"My older cousin number {n} ", forms.PERSON_LENGTH) for n in (1, 2, 3, 4)
        },
        "help": {"services": list(package.support_services.values_list("key", flat=True))},
        "already": {},
        "why": {"why": filled("I decide who sees me, and I can always change my mind. ", forms.WHY_LENGTH)},
    }
