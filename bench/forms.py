"""Reading a page as a browser would for the load generator: its form fields, links and static assets."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

CSRF_FIELD = "csrfmiddlewaretoken"


@dataclass
class Form:
    """The fields of a page's POST form: text values as the page fills them, and the options on offer."""

    values: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)  # checkbox and radio names to their values
    text_fields: list[str] = field(default_factory=list)

    @property
    def csrf_token(self) -> str:
        return self.values.get(CSRF_FIELD, "")


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.form = Form()
        self.in_post_form = False
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.in_post_form = attributes.get("method", "get").lower() == "post"
        if not self.in_post_form or "name" not in attributes:
            return
        name = attributes["name"]
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                self.form.options.setdefault(name, []).append(attributes.get("value", "on"))
            elif kind not in {"submit", "button"}:
                self.form.values[name] = attributes.get("value", "")
                if kind == "text":
                    self.form.text_fields.append(name)
        elif tag == "textarea":
            self.textarea = name
            self.form.values[name] = ""
            self.form.text_fields.append(name)

    def handle_data(self, data):
        if self.textarea:
            self.form.values[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.in_post_form = False


def read_form(html: str) -> Form:
    reader = _FormReader()
    reader.feed(html)
    return reader.form


def links(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="(/[^"]*)"', html)


def next_link(html: str) -> str | None:
    found = re.search(r'<a [^>]*href="(/[^"]*)"[^>]*rel="next"', html)
    return found.group(1) if found else None


def previous_link(html: str) -> str | None:
    found = re.search(r'<a [^>]*href="(/[^"]*)"[^>]*rel="prev"', html)
    return found.group(1) if found else None


def choice_options(html: str) -> list[str]:
    """The values of a choice step's options (a GET form: `?option=<value>`)."""
    return re.findall(r'<input [^>]*name="option" value="([^"]*)"', html)


def static_assets(html: str) -> list[str]:
    """Stylesheets, scripts, icons and images a browser fetches for the page (same server only). For a
    picture with a srcset, its largest candidate: what a laptop or projector fetches (a phone takes less)."""
    found = re.findall(r'<link [^>]*href="(/static/[^"]+)"', html)
    found += re.findall(r'<script [^>]*src="(/static/[^"]+)"', html)
    for img in re.findall(r"<img [^>]*>", html):
        candidates = re.findall(r"(/[^\s,\"]+) (\d+)w", _attribute(img, "srcset"))
        if candidates:
            found.append(max(candidates, key=lambda candidate: int(candidate[1]))[0])
        elif (src := _attribute(img, "src")).startswith(("/static/", "/pictures/")):
            found.append(src)
    return list(dict.fromkeys(found))


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found.group(1) if found else ""


def css_urls(css: str, css_path: str) -> list[str]:
    """url(...) references in a stylesheet (fonts, images), resolved against the stylesheet's path."""
    base = css_path.rsplit("/", 1)[0]
    found = []
    for raw in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css):
        if raw.startswith(("data:", "http:", "https:", "#")):
            continue
        path = raw.split("#")[0].split("?")[0]
        found.append(path if path.startswith("/") else _join(base, path))
    return list(dict.fromkeys(found))


def _join(base: str, relative: str) -> str:
    parts = base.split("/")
    for piece in relative.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)
