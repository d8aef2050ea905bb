"""The operations app: the server's upkeep commands (backups, restores, clearing what expired); top floor."""

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations"
