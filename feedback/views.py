"""Feedback pages. Placeholder until the feedback issue builds them."""

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def start(request):
    return render(request, "feedback/coming_soon.html")
