"""The one way a view answers with a PDF: the file, or a 503 page when PDFs cannot be made just now."""

from collections.abc import Callable

from django import shortcuts
from django.http import HttpRequest, HttpResponse

from pdf.engine import PdfBusy, PdfUnavailable

# A busy renderer frees a slot within seconds; this tells browsers and proxies when asking again makes sense.
RETRY_AFTER_SECONDS = 30


def pdf_response(
    request: HttpRequest,
    render: Callable[[], bytes],
    *,
    filename: str,
    problem_template: str,
    inline: bool = False,
) -> HttpResponse:
    """Call `render` and answer with its PDF as `filename` (a download, or shown in the browser if `inline`).

    When every render slot stays busy: `problem_template` with `busy` true, status 503 and Retry-After. When
    WeasyPrint cannot load (pdf.W001): the same template with `busy` false, status 503. Each app's template
    says what still works for its readers.
    """
    try:
        pdf = render()
    except PdfBusy:
        response = shortcuts.render(request, problem_template, {"busy": True}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    except PdfUnavailable:
        return shortcuts.render(request, problem_template, {"busy": False}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response
