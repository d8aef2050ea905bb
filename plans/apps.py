"""The plans app: a student's personal plan and its PDF."""

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Personal plans"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from pdf import stylesheets
        from plans import checks  # noqa: F401  (registers the system checks)
        from plans.pdf import PLAN_STYLESHEET
        from plans.plan import plan_delete

        stylesheets.register(PLAN_STYLESHEET)

        def drop_plan_on_sign_in(sender, request, user, **kwargs):
            # A teacher signing in on a computer a student used must not inherit the student's plan.
            if request is not None and hasattr(request, "session"):
                plan_delete(request.session)

        user_logged_in.connect(drop_plan_on_sign_in, dispatch_uid="plans.drop_plan_on_sign_in", weak=False)
