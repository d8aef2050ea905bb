"""Plan pages fetch the package content in a fixed handful of queries, however big the plan."""

from tests.plans.builders import build_plan, largest_answers, post_part


def test_it_shows_a_part_in_a_fixed_number_of_queries(client, bundled_package, django_assert_num_queries):
    build_plan(client, bundled_package, **largest_answers(bundled_package))
    client.get("/plan/words/")  # session cached from here on
    with django_assert_num_queries(7):  # session, package, strategies, their lines, signs, services, steps
        client.get("/plan/words/")


def test_it_saves_a_part_in_a_fixed_number_of_queries(client, bundled_package, django_assert_num_queries):
    build_plan(client, bundled_package)
    with django_assert_num_queries(8):  # as above, and the session's one UPDATE
        post_part(client, "why", {"why": "Because."})


def test_it_makes_the_pdf_in_a_fixed_number_of_queries(client, bundled_package, django_assert_num_queries):
    build_plan(client, bundled_package, **largest_answers(bundled_package))
    with django_assert_num_queries(9):  # 7, and the first download counted: its count's UPDATE, the session's
        assert client.get("/plan/download/").status_code == 200
    with django_assert_num_queries(7):  # counted once: nothing more
        assert client.get("/plan/download/").status_code == 200
