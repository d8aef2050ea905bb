"""How students reach a class session: the join page's full address, the link with the code, its QR code."""

import io

import segno
from django.urls import reverse
from django.utils.http import urlencode

from lessons.models import ClassSession


def join_url(request, class_session: ClassSession) -> str:
    """The link and QR code carry the class word too, so a device on a network in check mode need not type it."""
    query = urlencode({"code": class_session.join_code, "word": class_session.class_word})
    return request.build_absolute_uri(reverse("lessons:join") + f"?{query}")


def join_links(request, class_session: ClassSession) -> dict[str, str]:
    """What a page that shows the class how to join needs: the page's full address (host included, to type)
    and the link with the code and word (for the QR code and to click)."""
    return {
        "join_page": request.build_absolute_uri(reverse("lessons:join")),
        "join_url": join_url(request, class_session),
    }


def qr_svg(url: str, *, title: str, scale: int = 8) -> bytes:
    """`url` as a QR code: a standalone SVG document (with its namespace, without which a browser will not
    draw it as an image), black on white, with a title that says what it opens."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=scale,
        dark="#000",
        light="#fff",
        title=title,
        xmldecl=False,
        svgns=True,
        nl=False,
    )
    return buffer.getvalue()


def join_qr_svg(request, class_session: ClassSession) -> bytes:
    """The join link as a QR code, with a title naming the code."""
    return qr_svg(join_url(request, class_session), title=f"QR code for class code {class_session.join_code}")
