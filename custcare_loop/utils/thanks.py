"""A customer's thank-you alone ("Thanks!", "Merci, parfait", "Danke",
"Gracias", "Bedankt") is not a request: it does not start a wait for our
reply. A short message (its first lines, before a signature), with no
question, no "but", and a thank-you phrase of one of the shipped languages.
Anything longer, asking or objecting is a request, in doubt too."""

import re

from .competitor_matcher import fold

# longer than this, a message says more than thank you
MAX_WORDS = 6
# per shipped language, folded (lower case, no accents)
THANKS = {
    "en": ("thanks", "thank you", "thx", "cheers", "much appreciated"),
    "fr": ("merci", "je vous remercie", "remerciements"),
    "nl": ("bedankt", "dank je", "dank u", "dankjewel", "dankuwel", "hartelijk dank"),
    "de": ("danke", "dankeschon", "vielen dank", "besten dank", "herzlichen dank"),
    "es": ("gracias", "se agradece", "mil gracias"),
}
# words that turn a thank-you into a request: an objection or an ask
OBJECTIONS = {
    "en": (
        "but",
        "however",
        "still",
        "not",
        "no",
        "missing",
        "wrong",
        "please",
        "need",
        "can",
        "could",
        "send",
    ),
    "fr": (
        "mais",
        "toujours",
        "pas",
        "manque",
        "erreur",
        "svp",
        "plait",
        "pouvez",
        "besoin",
        "envoyer",
    ),
    "nl": (
        "maar",
        "nog",
        "niet",
        "geen",
        "ontbreekt",
        "fout",
        "graag",
        "alstublieft",
        "kunt",
        "nodig",
        "sturen",
    ),
    "de": (
        "aber",
        "noch",
        "nicht",
        "kein",
        "keine",
        "fehlt",
        "falsch",
        "bitte",
        "konnen",
        "konnten",
        "brauchen",
        "schicken",
    ),
    "es": (
        "pero",
        "todavia",
        "aun",
        "falta",
        "error",
        "favor",
        "necesito",
        "puede",
        "pueden",
        "enviar",
    ),
}
_WORD = re.compile(r"[^\W\d_]+|\d+")
_THANKS = [fold(phrase).split() for phrases in THANKS.values() for phrase in phrases]
_OBJECTIONS = {word for words in OBJECTIONS.values() for word in words}


def _first_lines(text):
    """The message before its signature ("--") and quoted lines (">")."""
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped in ("--", "-- ") or stripped.startswith("--"):
            break
        if not stripped.startswith(">"):
            kept.append(stripped)
    return " ".join(kept)


def is_thanks_only(text):
    """Whether ``text`` (plain text) is only a thank-you."""
    text = _first_lines((text or "")[:2000])
    if not text or "?" in text or "¿" in text:
        return False
    words = _WORD.findall(fold(text))
    if not words or len(words) > MAX_WORDS or _OBJECTIONS & set(words):
        return False
    return any(
        words[i : i + len(phrase)] == phrase
        for phrase in _THANKS
        for i in range(len(words) - len(phrase) + 1)
    )
