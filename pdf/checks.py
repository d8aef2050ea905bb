"""System checks for the PDF renderer: WeasyPrint must load, and the render settings must make sense."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def weasyprint_loads(app_configs, **kwargs):
    try:
        import weasyprint  # noqa: F401
        from weasyprint.text.fonts import FontConfiguration  # noqa: F401
    except (ImportError, OSError) as error:
        return [
            Warning(
                f"WeasyPrint cannot load ({error}), so no PDF can be made: students cannot download their plan "
                "as a PDF, nor teachers a results report, nor parents the handout.",
                hint="Install WeasyPrint's system libraries (Pango): see scripts/check-system. "
                "Students can still print their plan from the print view.",
                id="pdf.W001",
            )
        ]
    return []


@register()
def pdf_settings(app_configs, **kwargs):
    if settings.PDF_CONCURRENT_RENDERS < 1:
        return [Error("PDF_CONCURRENT_RENDERS must be 1 or more.", id="pdf.E001")]
    return []
