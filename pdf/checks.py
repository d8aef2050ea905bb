"""System checks for the plans app: WeasyPrint must load for "Download my plan" to work."""

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
                f"WeasyPrint cannot load ({error}), so students cannot download their plan as a PDF.",
                hint="Install WeasyPrint's system libraries (Pango): see scripts/check-system. "
                "Students can still print their plan from the print view.",
                id="plans.W001",
            )
        ]
    return []


@register()
def plan_settings(app_configs, **kwargs):
    errors = []
    if settings.PLAN_PDF_CONCURRENT_RENDERS < 1:
        errors.append(Error("PLAN_PDF_CONCURRENT_RENDERS must be 1 or more.", id="plans.E001"))
    if settings.PLAN_MAX_AGE_SECONDS < 60:
        errors.append(Error("PLAN_MAX_AGE_SECONDS must be at least 60 seconds.", id="plans.E002"))
    return errors
