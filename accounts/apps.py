"""The accounts app: teachers' log-in, the failed-attempt throttle and who may see what (ground floor)."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
