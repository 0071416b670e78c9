"""Building MIME messages: recipients, the plain-text alternative of HTML, attachments."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formataddr, formatdate, getaddresses, make_msgid
from html.parser import HTMLParser

#: Attachments: file name -> content (``str`` is sent UTF-8 encoded).
Attachments = Mapping[str, bytes | bytearray | memoryview | str]

# fmt: off
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead",
    "tfoot", "tr", "ul",
})
# fmt: on
_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "table", "ul", "ol", "blockquote", "pre"})
_SKIP_TAGS = frozenset({"head", "script", "style", "template", "title"})
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag in _PARAGRAPH_TAGS else "\n")
            if tag == "li":
                self.parts.append("- ")
        elif tag == "a":
            self._links.append((dict(attrs).get("href") or "", len(self.parts)))
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag in _PARAGRAPH_TAGS else "\n")
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            text = "".join(self.parts[start:]).strip()
            if href and not href.startswith("#") and href != text:
                self.parts.append(f" ({href.removeprefix('mailto:')})")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(_SPACES.sub(" ", data))


def html_to_text(html: str) -> str:
    """A readable plain-text version of an HTML document (for the text/plain alternative)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def parse_recipients(to_address: str | Sequence[str]) -> list[tuple[str, str]]:
    """``(display name, address)`` pairs of one address, a comma-separated string or a list."""
    items = [to_address] if isinstance(to_address, str) else [str(a) for a in to_address]
    pairs = [(name, addr) for name, addr in getaddresses(items) if addr]
    if not pairs or any("@" not in addr for _, addr in pairs):
        raise ValueError(f"invalid recipient address(es): {to_address!r}")
    return pairs


def content_type(filename: str) -> tuple[str, str]:
    """``(maintype, subtype)`` guessed from a file name; ``application/octet-stream`` if unknown."""
    guessed, encoding = mimetypes.guess_type(filename, strict=False)
    if guessed is None or encoding is not None:
        return "application", "octet-stream"
    maintype, _, subtype = guessed.partition("/")
    return maintype, subtype


def build_message(
    *,
    sender: str,
    recipients: Sequence[tuple[str, str]],
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Attachments | None = None,
) -> EmailMessage:
    """A message with ``text`` (and ``html`` as its multipart/alternative), plus attachments."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(formataddr(pair) for pair in recipients)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    domain = sender.rsplit("@", 1)[-1].rstrip(">").strip() or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content in (attachments or {}).items():
        data = content.encode() if isinstance(content, str) else bytes(content)
        maintype, subtype = content_type(filename)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


__all__ = ["Attachments", "build_message", "content_type", "html_to_text", "parse_recipients"]
