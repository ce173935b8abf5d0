"""Render an HTML compliance report with headless Chromium: a PDF, a first-page PDF and a PNG.

    python scripts/render_report.py report.html --out-dir out/ [--paper letter|a4]
        [--chromium /usr/bin/chromium] [--check-first-page]

Writes ``report.pdf`` (the whole report as the browser prints it), ``first-page.pdf`` (the
report cut at its ``<!-- end of first page -->`` marker, to measure that the deciding page
fits one sheet) and ``first-page.png`` (a screenshot of that page), and prints a JSON line
with the page counts. ``--check-first-page`` exits 1 when the first page needs more than one
sheet. Chromium runs with a fresh profile and no network (the report fetches nothing; its
Content-Security-Policy forbids it anyway). Debian's package: ``apt-get install chromium``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FIRST_PAGE_MARKER = "<!-- end of first page -->"
PAPERS = {"letter": "letter", "a4": "A4"}
SCREEN = {"letter": (816, 1056), "a4": (794, 1123)}
"""One sheet in CSS pixels (96 per inch): what the PNG of the first page shows."""
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def find_chromium(explicit: str | None = None) -> str | None:
    """The Chromium binary to use: `explicit`, or the first of the usual names on PATH."""
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF Chromium wrote (its page objects are not compressed)."""
    return len(_PAGE.findall(pdf))


def with_css(html: str, extra: str, print_on_screen: bool = False) -> str:
    """`html` with `extra` CSS appended and the CSP style hash updated to match.

    `print_on_screen` applies the print rules on screen too, so that a screenshot shows
    the page as it prints.
    """
    match = re.search(r"<style>(.*?)</style>", html, flags=re.S)
    if match is None:
        return html
    css = match.group(1) + extra
    if print_on_screen:
        css = css.replace("@media print{", "@media all{")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    html = html[: match.start(1)] + css + html[match.end(1) :]
    return re.sub(r"'sha256-[A-Za-z0-9+/=]+'", f"'sha256-{digest}'", html, count=1)


def first_page(html: str) -> str:
    """The report up to the first-page marker, closed so that it is a whole document."""
    head, marker, _ = html.partition(FIRST_PAGE_MARKER)
    if not marker:
        raise SystemExit(f"no {FIRST_PAGE_MARKER!r} marker in the report")
    return head + "</body>\n</html>\n"


def _chromium(binary: str, profile: Path, *args: str) -> None:
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-extensions",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)


def render(html_path: Path, out_dir: Path, paper: str, binary: str) -> dict[str, object]:
    """Write the PDFs and the PNG into `out_dir`; return the page counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    original = html_path.read_text(encoding="utf-8")
    html = with_css(original, f"@page{{size:{PAPERS[paper]}}}")
    width, height = SCREEN[paper]
    # The page's content box on screen: the sheet less the stylesheet's 11 mm margins.
    screen = with_css(original, "body{padding:11mm!important}", print_on_screen=True)
    with tempfile.TemporaryDirectory(prefix="render-report-") as tmp:
        work = Path(tmp)
        whole, front = work / "report.html", work / "first-page.html"
        shot = work / "first-page-screen.html"
        whole.write_text(html, encoding="utf-8")
        front.write_text(first_page(html), encoding="utf-8")
        shot.write_text(first_page(screen), encoding="utf-8")
        outputs = {
            "report.pdf": (whole, ["--no-pdf-header-footer"]),
            "first-page.pdf": (front, ["--no-pdf-header-footer"]),
        }
        for name, (source, extra) in outputs.items():
            target = out_dir / name
            _chromium(
                binary,
                work / f"profile-{name}",
                *extra,
                f"--print-to-pdf={target}",
                source.as_uri(),
            )
        _chromium(
            binary,
            work / "profile-png",
            f"--window-size={width},{height}",
            f"--screenshot={out_dir / 'first-page.png'}",
            shot.as_uri(),
        )
    return {
        "paper": paper,
        "pages": pdf_pages((out_dir / "report.pdf").read_bytes()),
        "first_page_pages": pdf_pages((out_dir / "first-page.pdf").read_bytes()),
        "out_dir": str(out_dir),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument("--paper", choices=sorted(PAPERS), default="letter")
    parser.add_argument("--chromium")
    parser.add_argument("--check-first-page", action="store_true")
    options = parser.parse_args(argv)
    binary = find_chromium(options.chromium)
    if binary is None:
        print("chromium not found; install Debian's `chromium` package", file=sys.stderr)
        return 2
    result = render(options.html, options.out_dir, options.paper, binary)
    print(json.dumps(result, sort_keys=True))
    if options.check_first_page and result["first_page_pages"] != 1:
        print(
            f"the first page needs {result['first_page_pages']} sheets of {options.paper}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
