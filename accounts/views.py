"""Log-in pages (the teachers' and the admin's) behind one cool-off after repeated wrong passwords."""

import unicodedata

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache

from accounts import throttle


def login_failure_key(username: str, address: str) -> str:
    """The counter for one account from one address.

    Django checks the password of the NFKC-normalised username (and a database may match it ignoring case),
    so the count keys on the same normalised, case-folded text: a look-alike spelling such as a fullwidth
    digit, an extra space or capitals is the same account and gets no fresh allowance.
    """
    account = unicodedata.normalize("NFKC", username.strip()).strip().casefold()
    return throttle.failure_key("login", f"{account}|{address}")


class ThrottledLoginView(LoginView):
    """Django's log-in, with a cool-off after repeated wrong passwords for one username from one address.

    Keyed on both together, so one shared staff-room address never locks every teacher out, and counted in
    the database, so the limit holds across every process and server.
    """

    template_name = "accounts/login.html"

    def _failure_key(self) -> str:
        return login_failure_key(self.request.POST.get("username", ""), throttle.client_address(self.request))

    def post(self, request, *args, **kwargs):
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        if throttle.over_limit({self._failure_key(): settings.LOGIN_FAILURES_ALLOWED}, window):
            # An unbound form: a locked account's password is not even checked.
            form = self.get_form_class()(
                request, initial={"username": request.POST.get("username", "")[:150]}
            )
            context = self.get_context_data(form=form, locked_minutes=max(1, window // 60))
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.record_failure([self._failure_key()], settings.LOGIN_FAILURE_WINDOW_SECONDS)
        return super().form_invalid(form)


@never_cache
def admin_login(request):
    """The admin's log-in page (admin.site.login, step for step) behind the teachers' cool-off.

    Django's own admin log-in has no limit at all; config.urls routes /admin/login/ here, ahead of the admin,
    so every account (teacher, pilot lead, superuser) shares one counter whichever page it is guessed on.
    """
    site = admin.site
    if request.method == "GET" and site.has_permission(request):
        return redirect("admin:index")
    context = {
        **site.each_context(request),
        "title": "Log in",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
    }
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=site.name)
    request.current_app = site.name
    view = ThrottledLoginView.as_view(
        extra_context=context,
        authentication_form=site.login_form or AdminAuthenticationForm,
        template_name="accounts/admin_login.html",
    )
    return view(request)
