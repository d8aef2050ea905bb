"""PDF_CONCURRENT_RENDERS and PDF_QUEUE_SECONDS, with the old PLAN_PDF_* names read when the new ones are unset."""

from tests.builders import settings_in_subprocess

BOTH = "settings.PDF_CONCURRENT_RENDERS, settings.PDF_QUEUE_SECONDS"
# Empty counts as unset, so whatever the machine running the tests has set does not leak in.
UNSET = dict.fromkeys(
    ["PDF_CONCURRENT_RENDERS", "PDF_QUEUE_SECONDS", "PLAN_PDF_CONCURRENT_RENDERS", "PLAN_PDF_QUEUE_SECONDS"],
    "",
)


def _read(**env: str) -> str:
    return settings_in_subprocess(BOTH, **{**UNSET, **env})


def test_it_renders_one_pdf_at_a_time_and_waits_20_seconds_by_default():
    assert _read() == "(1, 20)"


def test_it_reads_the_new_names():
    assert _read(PDF_CONCURRENT_RENDERS="3", PDF_QUEUE_SECONDS="5") == "(3, 5)"


def test_it_still_reads_the_old_names_when_the_new_ones_are_unset():
    output = _read(PLAN_PDF_CONCURRENT_RENDERS="2", PLAN_PDF_QUEUE_SECONDS="7")
    assert output == "(2, 7)"


def test_the_new_names_win_over_the_old():
    output = _read(
        PDF_CONCURRENT_RENDERS="4",
        PDF_QUEUE_SECONDS="9",
        PLAN_PDF_CONCURRENT_RENDERS="2",
        PLAN_PDF_QUEUE_SECONDS="7",
    )
    assert output == "(4, 9)"


def test_an_empty_new_name_counts_as_unset():
    assert _read(PDF_QUEUE_SECONDS="", PLAN_PDF_QUEUE_SECONDS="7") == "(1, 7)"
