"""Page weight of a student step page: a first visit with an empty cache, and a repeat visit with a warm one.

Counts the bytes a browser receives (headers and bodies, as sent: WhiteNoise's brotli or gzip when asked),
following the page's stylesheets and scripts, the fonts and images their CSS names, and /favicon.ico,
which browsers ask for when a page names no icon.
"""

import gzip
import http.cookiejar
import re
import time
import urllib.error
import urllib.request

from forms import choice_options, css_urls, links, next_link, read_form, static_assets

ACCEPT_ENCODING = "gzip, deflate, br"  # what Chromium and Firefox send over plain HTTP
LONG_CACHE_SECONDS = 24 * 60 * 60


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects()
        )

    def fetch(self, path: str, data: bytes | None = None, headers: dict | None = None) -> dict:
        request = urllib.request.Request(
            self.base_url + path, data=data, headers={"Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
        )
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            body = response.read()
            header_bytes = len(f"HTTP/1.1 {response.status} X\r\n") + sum(
                len(f"{name}: {value}\r\n") for name, value in response.headers.items()
            )
            return {
                "path": path,
                "status": response.status,
                "body": body,
                "wire": header_bytes + 2 + len(body),
                "encoding": response.headers.get("Content-Encoding", ""),
                "cache_control": response.headers.get("Cache-Control", ""),
                "etag": response.headers.get("ETag", ""),
                "last_modified": response.headers.get("Last-Modified", ""),
                "type": response.headers.get("Content-Type", ""),
            }


def long_cached(cache_control: str) -> bool:
    found = re.search(r"max-age=(\d+)", cache_control)
    return "immutable" in cache_control or bool(found and int(found.group(1)) >= LONG_CACHE_SECONDS)


def decoded(item: dict) -> bytes:
    if item["encoding"] == "br":
        import brotli

        return brotli.decompress(item["body"])
    if item["encoding"] == "gzip":
        return gzip.decompress(item["body"])
    return item["body"]


def joined_visitor(base_url: str, join_code: str) -> Visitor:
    visitor = Visitor(base_url)
    token = read_form(visitor.fetch("/join/")["body"].decode()).csrf_token
    joined = visitor.fetch(
        "/join/",
        data=f"csrfmiddlewaretoken={token}&code={join_code}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert joined["status"] == 302, joined["status"]
    return visitor


def heaviest_step(base_url: str, join_code: str) -> dict:
    """The largest HTML of any step page (each choice's outcomes and the detour included): the most a repeat
    visit to a step costs."""
    visitor = joined_visitor(base_url, join_code)
    visitor.fetch("/lesson/")
    checkin = visitor.fetch("/feedback/check-in/")["body"].decode()  # its "skip" link names the first step
    path = next(link for link in links(checkin) if link.startswith("/lesson/") and link != "/lesson/")
    sizes, seen = {}, set()
    while path and path.startswith("/lesson/") and path != "/lesson/end/" and path not in seen:
        seen.add(path)
        page = visitor.fetch(path)
        html = page["body"].decode()
        sizes[path] = page["wire"]
        for option in choice_options(html):
            chosen = visitor.fetch(f"{path}?option={option}")
            sizes[f"{path}?option={option}"] = chosen["wire"]
            for detour in links(chosen["body"].decode()):
                if detour.startswith("/lesson/") and detour not in sizes and detour != "/lesson/":
                    sizes[detour] = visitor.fetch(detour)["wire"]
        path = next_link(html)
    heaviest = max(sizes, key=sizes.get)
    return {"path": heaviest, "wire": sizes[heaviest], "pages": len(sizes)}


def measure(base_url: str, join_code: str, step: str = "/lesson/meet-jordan/", repeat: str = "") -> dict:
    """Join the class (not counted), then visit `step` with an empty cache, then `repeat` (default: the same
    step) as a browser would with its cache: long-cached files not asked for, others revalidated."""
    visitor = joined_visitor(base_url, join_code)
    page = visitor.fetch(step)
    html = page["body"].decode()
    first = [page]
    stylesheets = []
    for path in static_assets(html):
        item = visitor.fetch(path)
        first.append(item)
        if "css" in item["type"]:
            stylesheets.append(item)
    for sheet in stylesheets:
        for path in css_urls(decoded(sheet).decode(errors="replace"), sheet["path"]):
            first.append(visitor.fetch(path))
    if 'rel="icon"' not in html:  # a browser asks for /favicon.ico only when the page names no icon
        first.append(visitor.fetch("/favicon.ico"))

    again = visitor.fetch(repeat or step)
    second = [again]
    for item in first[1:]:
        if long_cached(item["cache_control"]):
            continue
        validators = {}
        if item["etag"]:
            validators["If-None-Match"] = item["etag"]
        if item["last_modified"]:
            validators["If-Modified-Since"] = item["last_modified"]
        second.append(visitor.fetch(item["path"], headers=validators))

    def rows(items):
        return [
            {
                "path": item["path"],
                "status": item["status"],
                "wire": item["wire"],
                "body": len(item["body"]),
                "encoding": item["encoding"] or "none",
                "long_cached": long_cached(item["cache_control"]),
            }
            for item in items
        ]

    html_gzip = len(gzip.compress(page["body"], compresslevel=6))
    return {
        "step": step,
        "first": rows(first),
        "repeat": rows(second),
        "first_bytes": sum(item["wire"] for item in first),
        "repeat_bytes": sum(item["wire"] for item in second),
        "html_bytes": len(page["body"]),
        "html_encoding": page["encoding"] or "none",
        "html_gzip_bytes": html_gzip,
    }


# The issue 11 §1 budget for a step page with a picture, compressed, headers included.
PICTURE_FIRST_KB = 150
PICTURE_REPEAT_KB = 20


def picture_section(machine: dict, results: list[dict]) -> str:
    """RESULTS.md's section for step pages with pictures: each page's first and repeat visit, and its parts."""
    from common import PICTURE_WEIGHT_HEADING, describe_commit

    def kb(size: int) -> str:
        return f"{size / 1000:.1f} KB"

    lines = [
        PICTURE_WEIGHT_HEADING,
        "",
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} at {describe_commit(machine)}. Command: "
        "`.venv/bin/python bench/page_weight.py` (part of `make bench`): a fresh SQLite database with the "
        "bundled package, the project's gunicorn, a student who joined a class (not counted). Bytes as sent "
        "(WhiteNoise's brotli for CSS and JS; WebP pictures are sent as they are), headers included. The picture "
        "counted is the largest in its `srcset` (1600 px wide: a laptop or a projector); a phone fetches the "
        "800 px copy.",
        "",
        "| page | first visit, empty cache | target | repeat visit | target | result |",
        "|---|---|---|---|---|---|",
    ]
    for weight in results:
        ok = (
            weight["first_bytes"] <= PICTURE_FIRST_KB * 1000
            and weight["repeat_bytes"] <= PICTURE_REPEAT_KB * 1000
        )
        lines.append(
            f"| {weight['step']} | {kb(weight['first_bytes'])} | ≤ {PICTURE_FIRST_KB} KB | "
            f"{kb(weight['repeat_bytes'])} | ≤ {PICTURE_REPEAT_KB} KB | {'pass' if ok else '**FAIL**'} |"
        )
    lines += ["", f"What the first visit to {results[0]['step']} fetched:", ""]
    lines += ["| request | status | bytes sent | encoding | long-cached |", "|---|---|---|---|---|"]
    for row in results[0]["first"]:
        lines.append(
            f"| {row['path']} | {row['status']} | {kb(row['wire'])} | {row['encoding']} | "
            f"{'yes' if row['long_cached'] else 'no'} |"
        )
    lines += ["", "The repeat visit asks again only for the page itself; everything else is long-cached.", ""]
    lines += ["| request | status | bytes sent |", "|---|---|---|"]
    for row in results[0]["repeat"]:
        lines.append(f"| {row['path']} | {row['status']} | {kb(row['wire'])} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Measure the step pages with pictures of the bundled package on their own server, and write the section."""
    import argparse
    import secrets
    import tempfile
    from pathlib import Path

    import common
    from server import collect_static, database

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--no-write", action="store_true", help="print the section; leave RESULTS.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plan-weight-bench-") as name:
        folder = Path(name)
        env = common.base_environment(folder, secrets.token_urlsafe(40), folder / "static")
        collect_static(env)
        env["SQLITE_PATH"] = str(folder / "weight.sqlite3")
        code = database(env, "prepare")["join_code"]
        with common.Gunicorn(env, folder / "weight-gunicorn.log") as server:
            results = [
                measure(server.url, code, step)
                for step in ("/lesson/meet-jordan/", "/lesson/go-back/", "/lesson/")
            ]
    section = picture_section(common.machine(), results)
    print(section)
    if not args.no_write:
        common.write_section(section)


if __name__ == "__main__":
    main()
