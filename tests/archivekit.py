"""Web archives and report corpora made by the tests themselves: HTML pages of the project's corpus
reports written into a WARC file with warcio, and the corpus as JSON Lines."""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"

GERMAN = (
    "Der Deutsche Wetterdienst erwartet für das kommende Wochenende in weiten Teilen des Landes sonniges "
    "und trockenes Wetter. Im Norden können am Samstagnachmittag einzelne Schauer niedergehen, während im "
    "Süden Temperaturen von bis zu achtundzwanzig Grad erreicht werden. Die Meteorologen raten Ausflüglern, "
    "ausreichend Wasser mitzunehmen und die Mittagshitze zu meiden. Für die kommende Woche wird eine leichte "
    "Abkühlung vorhergesagt, die vor allem in den Mittelgebirgen spürbar sein dürfte."
)


def corpus(name: str) -> dict[str, str]:
    """One report of the project's corpus: ``{"id", "text", "date", "lang"}``."""
    data = json.loads(next(CORPUS.glob(f"*/{name}.json")).read_text(encoding="utf-8"))
    return {"id": data["id"], "text": data["text"], "date": data["date"], "lang": data["lang"]}


def all_corpus() -> list[dict[str, str]]:
    return [corpus(p.stem) for p in sorted(CORPUS.glob("*/*.json"))]


@dataclass(frozen=True)
class Page:
    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    fetched: str = "2024-03-14T08:00:00Z"


def article_page(url: str, title: str, paragraphs: list[str], *, date: str | None = None) -> Page:
    """A news page: a menu, the article (headline and paragraphs), a footer."""
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    doc = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>{meta}</head>"
        "<body><header><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav></header>"
        f"<main><article><h1>{html.escape(title)}</h1>{paras}</article></main>"
        "<footer><p>© The Daily Example. All rights reserved.</p></footer></body></html>"
    )
    return Page(url, doc.encode("utf-8"))


def index_page(url: str) -> Page:
    """A section front: links and nothing else, not an article."""
    links = "".join(f"<li><a href='/story/{i}'>Story {i}</a></li>" for i in range(12))
    return Page(url, f"<html><head><title>World</title></head><body><ul>{links}</ul></body></html>".encode())


def write_warc(path: Path, pages: list[Page], *, requests: bool = True) -> Path:
    """A gzipped WARC of ``pages``: a ``request`` record (when ``requests``) and a ``response`` each."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for page in pages:
            if requests:
                req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], protocol="HTTP/1.1", is_http_request=True)
                writer.write_record(writer.create_warc_record(page.url, "request", http_headers=req))
            http = StatusAndHeaders(page.status, [("Content-Type", page.content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                page.url, "response", payload=io.BytesIO(page.body), http_headers=http,
                warc_headers_dict={"WARC-Date": page.fetched},
            )
            writer.write_record(record)
    return path


def news_pages() -> list[Page]:
    """Two articles, a reprint of the first on another site with its own headline and closing line, an exact
    copy of the second, a German article, an image, a missing page and a section front."""
    kr, bakhmut, kramatorsk = corpus("en-03-kryvyi-rih"), corpus("en-01-bakhmut-front"), corpus("fr-01-kramatorsk")
    first = [kr["text"], bakhmut["text"]]
    return [
        article_page("https://news.example.org/kryvyi-rih", "Missile strike on Kryvyi Rih", first, date=kr["date"]),
        article_page("https://wire.example.net/europe/kryvyi-rih-strike", "Missile strike on Kryvyi Rih",
                     [*first, "Reporting by the Kyiv newsroom."], date=kr["date"]),
        article_page("https://journal.example.fr/kramatorsk", "Kramatorsk", [kramatorsk["text"]],
                     date=kramatorsk["date"]),
        article_page("https://copie.example.fr/kramatorsk", "Kramatorsk", [kramatorsk["text"]],
                     date=kramatorsk["date"]),
        article_page("https://wetter.example.de/wochenende", "Das Wetter am Wochenende", [GERMAN], date="2023-06-01"),
        Page("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png"),
        Page("https://news.example.org/gone", b"<html><body>Not found</body></html>", status="404 Not Found"),
        index_page("https://news.example.org/world"),
    ]
