"""Serve the pictures of steps and start pages from this server, under names that never change."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from lessons.models import Picture

# A picture's URL names the SHA-256 of its bytes, so what it serves can never change: any cache may keep it.
IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def picture(request, sha256: str, small: bool = False):
    """The full picture, or its phone-width copy (`small`); 404 for a name this server does not hold."""
    field = "small_webp" if small else "webp"
    data = Picture.objects.filter(sha256=sha256).values_list(field, flat=True).first()
    if data is None:
        raise Http404("No such picture")
    response = HttpResponse(bytes(data), content_type="image/webp")
    response["Cache-Control"] = IMMUTABLE
    response["ETag"] = f'"{sha256[:32]}{"-s" if small else ""}"'
    response["Content-Disposition"] = "inline"
    return response
