"""A phonetic key for one name token spelled in lower-case ASCII: spellings that sound alike share it.

Steps, in order:
1. letters only; initial "i"+vowel → "y" (Iurii ~ Yurii, Ia ~ Ya); initial "ye"+consonant → "e" (Yevgeny ~
   Evgeny, Yelena ~ Elena).
2. multigraphs: tsch/tch → ch; sch → sh; dzh/dj → j; chr → kr; ph → f; kh → h; gh → g; th → t; dh → d;
   ck → k; cz → ch; dt → t; ue → u, oe → o, ae → a (ICAO Ü → UE: Müller ~ Mueller ~ Muller, Öztürk ~ Oeztuerk);
   q → k; x → ks; w → v; c → s before e/i/y, else k. "ch", "sh", "zh" become one symbol each.
3. a final "h" after a vowel is silent (Sarah ~ Sara, Abdullah ~ Abdulla, Noh ~ No).
4. the first letter stays as written; every later vowel becomes a class — {a, e, i, y} or {o, u} — and "y"
   counts as a vowel unless a vowel follows it; repeated symbols collapse (Hassan ~ Hasan, Yury ~ Yuri).

Trade-offs (measured on the public yente negatives — 50,000 people, 17,000 distinct Latin tokens — and the
nomenklatura name pairs while choosing; see the report): two vowel classes make the transliteration
alternations of Arabic, Turkish and Russian names equal — Ahmad ~ Ahmed, Khalid ~ Khaled, Hussein ~ Husain,
Mohammed ~ Muhammad, Sergei ~ Sergey, Dmitry ~ Dmitrii — at the price of joining names that differ only in
a front vowel: Maria ~ Marie ~ Mary, Karin ~ Karen, Lee ~ Li, Lin ~ Lan, Kim ~ Kam. Back vowels stay apart
from front ones (Maria ≁ Mario, Ali ≁ Ole, Kim ≁ Kum), and the first letter is kept (Omar ≁ Umar: the
families join those). Keys are for finding candidates and for agreement evidence; the scorer still sees the
spellings. What the key does not join — Mohammed/Mehmet, Aleksandr/Oleksandr, Yi/Lee — the families do.
Not joined on purpose: Smith ≁ Schmidt (different names), Michael ≁ Mikhail (cognates).
"""

from __future__ import annotations

from functools import lru_cache

_REWRITES: tuple[tuple[str, str], ...] = (
    ("tsch", "C"),
    ("tch", "C"),
    ("sch", "S"),
    ("dzh", "j"),
    ("dj", "j"),
    ("chr", "kr"),
    ("ch", "C"),
    ("sh", "S"),
    ("zh", "Z"),
    ("ph", "f"),
    ("kh", "h"),
    ("gh", "g"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("cz", "C"),
    ("dt", "t"),
    ("ue", "u"),
    ("oe", "o"),
    ("ae", "a"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
)
_VOWELS = frozenset("aeiouy")
_CLASS = {"a": "A", "e": "A", "i": "A", "y": "A", "o": "O", "u": "O"}
_SOFTENS_C = frozenset("eiy")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


@lru_cache(maxsize=200_000)
def phonetic_key(ascii_token: str) -> str:
    s = ascii_token.lower()
    if not (s.isascii() and s.isalpha()):
        s = "".join(c for c in s if c in _LETTERS)
    if len(s) < 2:
        return s
    if s[0] == "i" and s[1] in "aeou":
        s = "y" + s[1:]
    elif s[0] == "y" and s[1] == "e" and len(s) > 2 and s[2] not in _VOWELS:
        s = s[1:]
    for old, new in _REWRITES:
        if old in s:
            s = s.replace(old, new)
    if "c" in s:
        s = "".join(
            ("s" if s[i + 1 : i + 2] in _SOFTENS_C and i + 1 < len(s) else "k") if ch == "c" else ch
            for i, ch in enumerate(s)
        )
    if len(s) > 2 and s[-1] == "h" and s[-2] in _VOWELS:
        s = s[:-1]
    first = s[0]
    out = [first]
    previous = _CLASS.get(first, first)
    last = len(s) - 1
    for i in range(1, last + 1):
        ch = s[i]
        symbol = "y" if ch == "y" and i < last and s[i + 1] in _VOWELS else _CLASS.get(ch, ch)
        if symbol != previous:
            out.append(symbol)
            previous = symbol
    return "".join(out)


def consonant_skeleton(ascii_token: str) -> str:
    """The consonants of a spelling after the key's rewrites, without w/y after the first letter and without a
    final h: comparable across Arabic-script skeletons ("mhmwd" from محمود) and Latin spellings ("Mahmoud").
    Offered to the scorer for Arabic-script words the curated table does not know; not part of the keys."""
    key = phonetic_key(ascii_token)
    kept = [c for i, c in enumerate(key) if c not in "AOaeiou" and not (i and c in "vy")]
    out = "".join(c for i, c in enumerate(kept) if not i or c != kept[i - 1])
    return out[:-1] if len(out) > 2 and out.endswith("h") else out
