"""Plan pages. Placeholder until the personal plan issue builds them."""

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def start(request):
    return render(request, "plans/coming_soon.html")
