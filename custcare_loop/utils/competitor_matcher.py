"""Find competitor names in free text: case- and accent-insensitive, whole
words only, every character of a name taken literally."""

import html as html_lib
import re
import unicodedata

from lxml import etree, html

from odoo.tools import html2plaintext

# a message is scanned up to this many characters: bounded cost for huge mails
MAX_SCAN_CHARS = 100_000
# raw HTML is cut to this many characters before it is parsed or pre-scanned
MAX_HTML_CHARS = 4 * MAX_SCAN_CHARS
SNIPPET_RADIUS = 60


COMBINING_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
# a tag stops at the next "<" too: linear on "<<<<…" with no ">"
TAGS = re.compile(r"<[^<>]*>")
BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "hr",
}


def fold(text):
    """The normalized text, fast, without the index map."""
    if text.isascii():
        return text.lower()
    return COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text)).casefold()


def normalize(text):
    """Casefolded, accents removed; returns (normalized, index map) where the
    map gives, for each normalized character, its index in ``text``."""
    if text.isascii():
        folded = text.lower()
        return folded, None
    chars = []
    positions = []
    for index, char in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", char)
        for part in decomposed:
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                chars.append(folded)
                positions.append(index)
    return "".join(chars), positions


def normalize_term(term):
    """A name or alias as matched: normalized first, then whitespace
    collapsed (normalizing can leave spaces: "Brot ¨ Co" → "brot   co"), so
    that the pattern never has two whitespace runs in a row."""
    return " ".join(normalize(term or "")[0].split())


def _trie_pattern(terms):
    trie = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node):
        ends_here = "" in node
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + (build(child) or "")
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return None
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            return "(?:" + body + ")?"
        return body

    return build(trie)


class CompetitorMatcher:
    """Built once for a registry of competitors; ``terms`` maps each
    normalized name or alias to a competitor id."""

    def __init__(self, terms):
        self.terms = {normalize_term(term): cid for term, cid in terms if term}
        self.terms.pop("", None)
        pattern = _trie_pattern(sorted(self.terms)) if self.terms else None
        # whole words: no word character right before or after the name
        self.regex = (
            re.compile(r"(?<!\w)(?:" + pattern + r")(?!\w)") if pattern else None
        )

    def __bool__(self):
        return self.regex is not None

    def search(self, text):
        """Whether any competitor may be named in ``text`` (a cheap first
        pass, also on raw HTML)."""
        return bool(
            self.regex and text and self.regex.search(fold(text[:MAX_SCAN_CHARS]))
        )

    def search_html(self, body):
        """Cheap first pass on an HTML body: tags dropped, entities decoded."""
        if not self.regex or not body:
            return False
        body = str(body)[:MAX_HTML_CHARS]
        return self.search(html_lib.unescape(TAGS.sub(" ", body)))

    def find(self, text):
        """{competitor id: snippet} for every competitor named in ``text``
        (plain text); the snippet is taken around the first match."""
        if not self.regex or not text:
            return {}
        text = text[:MAX_SCAN_CHARS]
        if text.isascii():
            normalized, positions = text.lower(), None
        elif not self.regex.search(fold(text)):
            return {}
        else:
            normalized, positions = normalize(text)
        found = {}
        for match in self.regex.finditer(normalized):
            cid = self.terms.get(" ".join(match.group(0).split()))
            if cid is None or cid in found:
                continue
            start, end = match.span()
            if positions is not None:
                start, end = positions[start], positions[end - 1] + 1
            found[cid] = snippet(text, start, end)
        return found


def snippet(text, start, end):
    left = max(0, start - SNIPPET_RADIUS)
    right = min(len(text), end + SNIPPET_RADIUS)
    result = " ".join(text[left:right].split())
    return ("…" if left else "") + result + ("…" if right < len(text) else "")


def html_to_scan_text(body):
    """The text of an HTML body without quoted history (an email quoting
    our own earlier reply does not count twice)."""
    if not body:
        return ""
    body = str(body)[:MAX_HTML_CHARS]
    try:
        root = html.fromstring(body)
    except (etree.ParserError, ValueError):
        return html2plaintext(body)
    for element in root.xpath(
        "//blockquote | //*[@data-o-mail-quote] | //*[@data-o-mail-quote-container]"
    ):
        element.drop_tree()
    # block boundaries are word boundaries: "…bread</p><p>GC Bakery…"
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    text = root.text_content()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines)
