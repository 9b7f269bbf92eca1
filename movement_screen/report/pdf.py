"""report.pdf: the report's own HTML printed by WeasyPrint.

Why WeasyPrint: the PDF is made from the very HTML of report.html (one template, the
same content and the same escaping), with the page rules in its `@media print` CSS
(A4, big sections on a new page). WeasyPrint is pure Python over Pango: no browser
and no network. Its fetcher here accepts `data:` URIs only, so nothing outside the
document is ever read, and its warnings are kept off the user's terminal.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

LOGGERS = ("weasyprint", "fontTools")  # WeasyPrint and its font subsetter


@contextmanager
def _quiet() -> Iterator[None]:
    """Only errors from WeasyPrint's loggers while printing; their levels are restored."""
    loggers = [logging.getLogger(name) for name in LOGGERS]
    saved = [lg.level for lg in loggers]
    try:
        for lg in loggers:
            lg.setLevel(logging.CRITICAL)
        yield
    finally:
        for lg, level in zip(loggers, saved, strict=True):
            lg.setLevel(level)


def data_only_fetcher():
    """A WeasyPrint URL fetcher that reads `data:` URIs and refuses every other scheme."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, timeout=1, allow_redirects=False)


def write_pdf(html: str, path: str | BinaryIO) -> None:
    """Print `html` (a self-contained report) to the PDF file `path` (or a file object)."""
    from weasyprint import HTML

    with _quiet():
        HTML(string=html, url_fetcher=data_only_fetcher(), media_type="print").write_pdf(path)


def write_page(page: str, folder: str, stem: str, *, html: bool = True, pdf: bool = True) -> dict:
    """A report page written as `<stem>.html` and/or printed to `<stem>.pdf` in `folder`;
    {file name: path} of what was written."""
    paths = {}
    if html:
        paths[f"{stem}.html"] = os.path.join(folder, f"{stem}.html")
        with open(paths[f"{stem}.html"], "w", encoding="utf-8") as handle:
            handle.write(page)
    if pdf:
        paths[f"{stem}.pdf"] = os.path.join(folder, f"{stem}.pdf")
        write_pdf(page, paths[f"{stem}.pdf"])
    return paths


def warm() -> None:
    """Print a one-line page to memory: WeasyPrint's imports and font set-up happen here,
    not on the first report (about 1 s)."""
    write_pdf("<p>warm</p>", io.BytesIO())
