"""Support services for young people and for adults: the package file's 'audience', the order and headings
students and parents see, and a choice step's own question."""

import pytest
import yaml

from lessons.package_export import package_to_yaml
from lessons.package_file import PackageFileError, digest_of, load_package_file, parse_package
from tests.builders import MINI_PACKAGE, start_self_guided

pytestmark = pytest.mark.django_db


def _load(tmp_path, change):
    data = yaml.safe_load(MINI_PACKAGE.read_text())
    change(data)
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return load_package_file(path).package


def _adults_listed_first(data):
    data["support_services"].insert(
        0,
        {
            "key": "stop-it-now",
            "name": "Stop It Now",
            "audience": "adults",
            "description": "For adults who are worried.",
            "phone": "0808 1000 900",
            "url": "https://www.stopitnow.org.uk/",
        },
    )


def test_a_service_for_adults_loads_exports_and_a_young_peoples_service_says_nothing(tmp_path):
    package = _load(tmp_path, _adults_listed_first)
    services = {s.key: s.audience for s in package.support_services.all()}
    assert services == {"stop-it-now": "adults", "childline": "young_people", "ceop": "young_people"}
    exported = yaml.safe_load(package_to_yaml(package))["support_services"]
    assert [s.get("audience") for s in exported] == ["adults", None, None]


def test_a_file_without_audiences_keeps_its_digest():
    data = parse_package(MINI_PACKAGE.read_text(), "mini.yaml")
    assert not any("audience" in service for service in data["support_services"])
    assert load_package_file(MINI_PACKAGE).package.digest == digest_of(data)


def test_it_refuses_an_unknown_audience(tmp_path):
    with pytest.raises(
        PackageFileError, match=r"support service 1: 'audience' must be one of adults, young_people"
    ):
        _load(tmp_path, lambda d: d["support_services"][0].update(audience="kids"))


def test_students_see_young_peoples_services_first_and_adults_under_their_own_heading(client, tmp_path):
    package = _load(tmp_path, _adults_listed_first)
    start_self_guided(client, package)
    page = client.get("/help/").content.decode()
    order = [
        page.index(text)
        for text in ["For young people", ">Childline<", ">CEOP<", "For parents, carers", ">Stop It Now<"]
    ]
    assert order == sorted(order)
    assert ">Stop It Now's website</a>" in page and ">Childline's website</a>" in page


def test_parents_see_services_for_adults_first(client, tmp_path):
    _load(tmp_path, _adults_listed_first)
    page = client.get("/parents/").content.decode()
    assert page.index(">Stop It Now<") < page.index(">Childline<")


def test_without_services_for_adults_there_are_no_headings(client, tmp_path):
    package = _load(tmp_path, lambda d: None)
    start_self_guided(client, package)
    page = client.get("/help/").content.decode()
    assert ">Childline<" in page and "For young people" not in page and "For parents, carers" not in page


def test_a_choice_asks_its_own_question_once(client, tmp_path):
    package = _load(
        tmp_path,
        lambda d: next(s for s in d["steps"] if s["kind"] == "choice").update(
            question="Which one would Sam pick?"
        ),
    )
    start_self_guided(client, package)
    key = package.steps.get(kind="choice").key
    page = client.get(f"/lesson/{key}/").content.decode()
    assert (
        page.count("Which one would Sam pick?") == 1
        and "<legend" in page.split("Which one would Sam pick?")[0][-80:]
    )
    assert "question" in yaml.safe_load(package_to_yaml(package))["steps"][2]
