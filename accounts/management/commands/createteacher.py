"""Create a teacher account: a login for running class sessions and reading feedback."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create a teacher account. Asks for the password, or reads TEACHER_PASSWORD with --noinput. "
        "--pilot-lead makes a staff account that sees every session and can use the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--pilot-lead", action="store_true", help="Staff: sees every session on the server."
        )
        parser.add_argument("--noinput", "--no-input", action="store_true", help="Read TEACHER_PASSWORD.")

    def handle(self, username: str, email: str, pilot_lead: bool, noinput: bool, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username!r}.")
        user = User(username=username, email=email, is_staff=pilot_lead, is_superuser=pilot_lead)
        password = os.environ.get("TEACHER_PASSWORD", "") if noinput else self._ask_password()
        if not password:
            raise CommandError("Set TEACHER_PASSWORD to the new account's password when using --noinput.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        user.save()
        role = "pilot lead" if pilot_lead else "teacher"
        self.stdout.write(f"Created {role} account {username!r}. Log in at /accounts/login/.")

    def _ask_password(self) -> str:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords did not match.")
        return password
