"""Customer temperature: how upset a customer is, as the rep judges it, and
a suggestion read from the customer's own words with VADER, a maintained
English sentiment lexicon (PyPI vaderSentiment). Other languages are not
guessed: no suggestion is better than a wrong one."""

import functools

TEMPERATURES = [
    ("calm", "Calm"),
    ("warm", "Warm"),
    ("hot", "Hot"),
    ("boiling", "Boiling"),
]
RANK = {"calm": 1, "warm": 2, "hot": 3, "boiling": 4}
HOT = ("hot", "boiling")
# what is read of a message or summary: the customer's point, bounded cost
MAX_SUGGEST_CHARS = 2000
# VADER's compound score (-1 … 1) to a temperature
THRESHOLDS = ((-0.75, "boiling"), (-0.5, "hot"), (-0.05, "warm"))


def hotter(first, second):
    """The hotter of two temperatures (either may be empty)."""
    return max((first, second), key=lambda t: RANK.get(t, 0)) or False


@functools.cache
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def is_english(lang):
    return bool(lang) and lang.split("_")[0] == "en"


def suggest(text, lang):
    """A temperature read from ``text`` (plain text) written in ``lang``, or
    None when it is not English or says nothing."""
    text = " ".join((text or "").split())[:MAX_SUGGEST_CHARS]
    if not text or not is_english(lang):
        return None
    compound = _analyzer().polarity_scores(text)["compound"]
    for threshold, temperature in THRESHOLDS:
        if compound <= threshold:
            return temperature
    return "calm"
