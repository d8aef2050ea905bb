"""The pdf app: the one safe PDF renderer every app uses, its bundled fonts and its system checks."""

from django.apps import AppConfig


class PdfConfig(AppConfig):
    name = "pdf"
    verbose_name = "PDF renderer"

    def ready(self):
        from pdf import checks  # noqa: F401  (registers the system checks)
