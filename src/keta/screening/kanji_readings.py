"""Japanese readings of names written in kanji, so that a passport's Hepburn spelling finds a name listed as 大野翔太.

A Japanese passport prints the name's reading in Hepburn (OHNO SHOTA, or ONO, OONO); a list may hold only the
kanji. Kanji alone do not say how a name is read — 大野 is おおの, 博文 is ひろぶみ or はくぶん, 裕子 ゆうこ or
ひろこ — so readings come from a dictionary of names: UniDic (its person-name entries, 固有名詞・人名・姓/名)
through MeCab. `readings` asks for the few best analyses of the name and keeps those that read it wholly as a
surname followed by a given name (or as one name word), each as katakana words "オオノ ショウタ"; the
screening index adds them to the entry as names of their own, which `japanese.romanize_kana` turns into the
passport spellings with their variants. A name that the dictionary does not read as a Japanese name (most
Chinese names: 张伟, 陳志強) gets no reading and stays read as Chinese.

Licences (checked): fugashi (MeCab wrapper) MIT, with MeCab bundled under BSD-3-Clause; unidic-lite MIT for
the packaging, UniDic 2.1.2 (NINJAL) under its BSD-3-Clause option of a BSD/LGPL/GPL triple licence. The
dictionary ships inside the unidic-lite wheel: nothing is downloaded, at install or at run time.

The tagger is created on first use (it maps the dictionary, about 250 MB on disk, into memory) and shared.
Without fugashi or unidic-lite installed, names get no Japanese reading; `available()` says which.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

MAX_READINGS = 3  # distinct readings kept per name, best first
_NBEST = 6  # analyses asked for: a rarer reading (博文 ひろぶみ) is often the second or third
_SURNAME, _GIVEN = "姓", "名"


@cache
def _tagger() -> Any | None:
    try:
        import fugashi  # lazy: only lists with kanji names pay for the dictionary
        import unidic_lite  # noqa: F401 (fugashi finds its dictionary through this package)
    except ImportError:
        return None
    return fugashi.Tagger()


def available() -> bool:
    return _tagger() is not None


def has_han(name: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch == "々" for ch in name)


@lru_cache(maxsize=50_000)
def readings(name: str) -> tuple[str, ...]:
    """The name's readings as a Japanese person name, "セイ メイ" in katakana, best first; () when the dictionary
    does not read all of it as a surname and a given name (or as one name word)."""
    tagger = _tagger()
    if tagger is None or not has_han(name) or len(name) > 40:
        return ()
    found: list[str] = []
    for path in tagger.nbestToNodeList(name, _NBEST):
        reading = _reading(path)
        if reading and reading not in found:
            found.append(reading)
            if len(found) == MAX_READINGS:
                break
    return tuple(found)


def _reading(path: list[Any]) -> str | None:
    """ "オオノ ショウタ" when the analysis is a surname then a given name, or one name word; else None."""
    words = [node for node in path if node.surface.strip()]
    roles = []
    for node in words:
        feature = node.feature
        if node.is_unk or feature.pos2 != "固有名詞" or feature.pos3 != "人名" or not feature.kana:
            return None
        roles.append(feature.pos4)
    if roles not in ([_SURNAME, _GIVEN], [_SURNAME], [_GIVEN]):
        return None
    return " ".join(node.feature.kana for node in words)
