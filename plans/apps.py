"""The plans app: a student's personal plan and its PDF."""

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Personal plans"
