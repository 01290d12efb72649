"""Text that reads right in both languages."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation

# Maximum lengths of free text (forms state them next to each field; services check them too).
TEXT_SHORT = 300
TEXT_MEDIUM = 2000
TEXT_LONG = 4000


def join_list(items: Iterable) -> str:
    """A list in running text: 营业执照、自评报告 in Chinese, "licence, report" in English."""
    separator = "、" if (translation.get_language() or "").startswith("zh") else ", "
    return separator.join(str(i) for i in items)


# Characters that take no space: format controls (zero-width space and joiners, bidirectional marks),
# and fillers that look blank (Hangul fillers, braille blank, Mongolian vowel separator).
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
_BLANK_LOOKING = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e", "\u17b4", "\u17b5"}


def visible_text(value: str) -> str:
    """NFKC-normalised text without invisible or control characters, with single spaces.

    A name written with full-width letters (Ｗａｎｇ) becomes Wang; a "name" made of zero-width
    spaces becomes empty and is refused where a name is required.
    """
    import unicodedata  # noqa: PLC0415 -- only needed here

    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or (unicodedata.category(ch) not in _INVISIBLE_CATEGORIES and ch not in _BLANK_LOOKING)
    )
    return " ".join(text.split())
