"""Who may see what: the one definition of a pilot lead, and the gate on pages for pilot leads only.

Teachers see their own class sessions and results; a pilot lead sees everything on the server. The QuerySets
that apply this to rows (`ClassSession.objects.visible_to(user)` and the like) all ask `is_pilot_lead`.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def is_pilot_lead(user) -> bool:
    """Pilot leads (staff accounts) see every class session and every result on the server, and edit
    packages in the admin."""
    return bool(user.is_authenticated and user.is_staff)


def pilot_lead_required(view):
    """Pages for pilot leads only, such as previews of drafts and every school's results: a teacher gets a
    404, as for any page that is not theirs, and an anonymous visitor is sent to log in."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_pilot_lead(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper
