"""The step-by-step builder: every part is saved, restored when the student comes back, and on the summary."""

import pytest

from tests.plans.builders import PARTS, build_plan, post_part, typical_answers


def test_it_shows_the_first_page_with_a_start_link(client, bundled_package):
    response = client.get("/plan/")
    assert response.status_code == 200
    assert 'href="/plan/strategies/"' in response.content.decode()


def test_it_saves_every_part_and_shows_it_on_the_summary(client, bundled_package):
    answers = build_plan(client, bundled_package)
    page = client.get("/plan/summary/").content.decode()
    for text in [
        "No way. I&#x27;m not sending that, Jo.",
        "No thanks. I don&#x27;t want to.",
        "Here&#x27;s a potato 🥔 instead",
        "I&#x27;m logging off now, talk tomorrow",
        "They keep asking after you have said no.",
        "They say I&#x27;m being boring\nThey won&#x27;t take no",
        "my aunt Bea",
        "form tutor",
        "Childline",
        "Report Remove",
        "I decide who sees me.",
    ]:
        assert text in page
    for step in bundled_package.already_happened_steps.all():
        assert step.title in page
    assert answers["why"]["why"] in page


@pytest.mark.parametrize("key", PARTS)
def test_it_restores_each_part_when_the_student_comes_back(client, bundled_package, key):
    answers = build_plan(client, bundled_package)
    form = client.get(f"/plan/{key}/").context["form"]
    for name, value in answers[key].items():
        expected = [str(item) for item in value] if isinstance(value, list) else value
        assert form[name].value() == expected, name


def test_it_keeps_typed_text_when_the_student_goes_back(client, bundled_package):
    answers = typical_answers(bundled_package)
    post_part(client, "strategies", answers["strategies"])
    post_part(client, "lines", answers["lines"])
    words = {**answers["words"], "own_2": "Typed, then I pressed Back"}
    response = post_part(client, "words", words, back=True)
    assert response.status_code == 302
    assert response["Location"] == "/plan/lines/"
    page = client.get("/plan/words/").content.decode()
    assert 'value="Typed, then I pressed Back"' in page


def test_it_lets_the_student_go_back_without_a_line_yet(client, bundled_package):
    response = post_part(client, "words", {"own_1": ""}, back=True)
    assert response.status_code == 302


def test_it_needs_at_least_one_line_to_go_on(client, bundled_package):
    response = post_part(client, "words", {"own_1": "", "own_2": "", "own_3": ""})
    assert response.status_code == 200
    assert "Your plan needs at least one line." in response.content.decode()


def test_it_moves_forward_part_by_part_then_to_the_summary(client, bundled_package):
    answers = typical_answers(bundled_package)
    locations = [post_part(client, key, answers[key])["Location"] for key in PARTS]
    assert locations == [f"/plan/{key}/" for key in PARTS[1:]] + ["/plan/summary/"]


def test_it_shows_progress_on_every_part(client, bundled_package):
    for number, key in enumerate(PARTS, start=1):
        page = client.get(f"/plan/{key}/").content.decode()
        assert f"My plan: page {number} of {len(PARTS)}" in page
        assert f'<progress class="w-100" max="{len(PARTS)}" value="{number}"' in page


def test_it_links_every_part_from_the_summary(client, bundled_package):
    build_plan(client, bundled_package)
    page = client.get("/plan/summary/").content.decode()
    for key in ["strategies", "lines", "words", "signs", "people", "help", "why"]:
        assert f'href="/plan/{key}/"' in page


def test_it_only_offers_lines_of_the_chosen_strategies(client, bundled_package):
    post_part(client, "strategies", {"strategies": ["humour"]})
    form = client.get("/plan/lines/").context["form"]
    assert list(form.fields) == ["lines_humour"]


def test_it_leaves_out_lines_of_a_strategy_the_student_unchose(client, bundled_package):
    build_plan(client, bundled_package)
    post_part(client, "strategies", {"strategies": ["humour"]})
    page = client.get("/plan/summary/").content.decode()
    assert "No way. I&#x27;m not sending that, Jo." not in page
    assert "Here&#x27;s a potato 🥔 instead" in page


def test_it_leaves_out_a_line_the_student_cleared(client, bundled_package):
    answers = build_plan(client, bundled_package)
    words = {**answers["words"], next(iter(answers["words"])): ""}
    post_part(client, "words", words)
    assert "not sending that, Jo" not in client.get("/plan/summary/").content.decode()


def test_it_offers_download_and_print_only_with_a_line(client, bundled_package):
    page = client.get("/plan/summary/").content.decode()
    assert "/plan/download/" not in page
    assert client.get("/plan/download/")["Location"] == "/plan/summary/"
    assert client.get("/plan/print/")["Location"] == "/plan/summary/"
    build_plan(client, bundled_package)
    page = client.get("/plan/summary/").content.decode()
    assert 'href="/plan/download/"' in page
    assert 'href="/plan/print/"' in page


def test_it_returns_404_for_an_unknown_part(client, bundled_package):
    assert client.get("/plan/nothing-here/").status_code == 404


def test_it_says_so_when_no_package_is_loaded(client, db):
    response = client.get("/plan/strategies/")
    assert response.status_code == 503
    assert "No lesson package has been loaded" in response.content.decode()
