"""Candidate retrieval without scanning every entry.

Every distinct name token in the watchlists is interned once (a vocabulary), with its match keys
(spelling families, phonetic key, transliteration variants) and its one-deletion neighbourhood
(SymSpell-style: two spellings one edit apart share a deletion). Postings map each vocabulary
token to the sorted array of entries whose names contain it. A query token reaches vocabulary
tokens through its own keys; an entry becomes a candidate when at least two of the query's name
units reach it (one for one-word names), found by intersecting sorted arrays. Joined and split
names are handled on the query side only (indexing every joined pair would multiply the index):
adjacent query tokens are also tried joined ("Min Jun" → "minjun"), and a query token that splits
into two known tokens is also tried split ("Abdulrahman" → "abdul" + "rahman").
"""

from __future__ import annotations

import gc
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from keta.domain.screening.features import arabic_skeletons, join_tokens
from keta.domain.screening.lexicon import Lexicon, default_lexicon
from keta.domain.screening.model import PartialDate, WatchlistEntry
from keta.domain.screening.normalize import PARTICLES, InvalidName, Token, name_tokens
from keta.screening import kanji_readings
from keta.screening.date_rank import FAR, DateColumns


def deletions(text: str) -> set[str]:
    if len(text) < 4:
        return set()
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


def retrieval_keys(token: Token, *, query: bool = False) -> set[str]:
    """Keys of a vocabulary token (or, with `query`, of a query token). Arabic-script words, which
    the curated tables may not know, are also reachable by consonant skeleton from any Latin query
    word; only the Arabic side is indexed that way, so Latin-to-Latin retrieval stays narrow."""
    keys = set(token.keys) | {token.text, *token.variants}
    keys |= deletions(token.text)
    if token.script == "arabic" or (query and token.script == "latin"):
        keys |= {f"sk:{skeleton}" for skeleton in arabic_skeletons(token.text)}
    return keys


class NameIndex:
    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or default_lexicon()
        self.vocab: dict[str, int] = {}
        self.tokens: list[Token] = []
        self.entries: list[WatchlistEntry] = []
        self.entry_names: list[tuple[tuple[str, tuple[int, ...]], ...]] = []
        self.key_to_vocab: dict[str, list[int]] = defaultdict(list)
        self.offsets: NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self.postings: NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self.skipped_names = 0
        self.spellings: set[str] = set()  # every listed name part's spellings (primary and variants)
        # The listed birth dates as arrays: ranking namesakes by birth date must not touch the entry objects.
        self.dates = DateColumns()

    # -- building -----------------------------------------------------------------------------
    def _intern(self, token: Token) -> int:
        # Same spelling is not always the same token: 軍 and 俊 both read "jun", Öztürk and Ozturk
        # both fold to "ozturk" — their originals and variants differ, and scoring needs them.
        # (Latin tokens that agree on spelling and variants are one token whatever their case.)
        if token.script == "latin":
            key = token.text if not token.variants else f"{token.text}\x1f{' '.join(token.variants)}"
        else:
            key = f"{token.text}\x1f{token.original}"
        found = self.vocab.get(key)
        if found is not None:
            return found
        self.vocab[key] = len(self.tokens)
        self.tokens.append(token)
        return len(self.tokens) - 1

    @classmethod
    def build(cls, entries: Iterable[WatchlistEntry], lexicon: Lexicon | None = None) -> NameIndex:
        """The index over `entries`. Everything a build allocates lives as long as the index, so the cyclic
        garbage collector, which would walk the growing heap again and again for nothing, is paused meanwhile;
        at the end the index is moved out of its sight (`gc.freeze`) so that the collections screening causes
        do not walk a million entries either. (An index is built once per list and replaced whole.)"""
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            index = cls._build(entries, lexicon)
        finally:
            if was_enabled:
                gc.enable()
        gc.freeze()
        return index

    @classmethod
    def _build(cls, entries: Iterable[WatchlistEntry], lexicon: Lexicon | None) -> NameIndex:
        index = cls(lexicon)
        pair_tokens, pair_entries = array("i"), array("i")
        seen: dict[str, tuple[int, ...] | None] = {}  # a large list repeats names: tokenize each once
        for entry in entries:
            position = len(index.entries)
            names = []
            shown = _with_readings(entry) if _may_be_japanese(entry) else zip(entry.names, entry.names, strict=True)
            for name, read in shown:
                ids = seen[read] if read in seen else seen.setdefault(read, index._tokenize(read))
                if ids is None:
                    index.skipped_names += 1
                    continue
                names.append((name, ids))
                pair_tokens.extend(ids)
                pair_entries.extend([position] * len(ids))
            index.entries.append(entry)
            index.entry_names.append(tuple(names))
            index.dates.append(entry.birth_dates)
        for token_id, token in enumerate(index.tokens):
            for key in retrieval_keys(token):
                index.key_to_vocab[key].append(token_id)
            index.spellings.add(token.text)
            index.spellings.update(token.variants)
        index._build_postings(np.frombuffer(pair_tokens, dtype=np.int32), np.frombuffer(pair_entries, dtype=np.int32))
        index.dates.freeze()
        return index

    def _tokenize(self, name: str) -> tuple[int, ...] | None:
        try:
            return tuple(self._intern(t) for t in name_tokens(name, self.lexicon))
        except InvalidName:
            return None

    def _build_postings(self, tokens: NDArray[np.int32], entries: NDArray[np.int32]) -> None:
        pairs = np.unique((tokens.astype(np.int64) << 32) | entries.astype(np.int64))
        token_of = (pairs >> 32).astype(np.int64)
        self.postings = (pairs & 0xFFFFFFFF).astype(np.int32)
        self.offsets = np.zeros(len(self.tokens) + 1, dtype=np.int64)
        np.add.at(self.offsets, token_of + 1, 1)
        np.cumsum(self.offsets, out=self.offsets)
        self.cache_clear()

    # -- querying -----------------------------------------------------------------------------
    def cache_clear(self) -> None:
        self._reach = lru_cache(maxsize=20_000)(self._reach_uncached)

    def _reach_uncached(self, token: Token) -> NDArray[np.int32]:
        """Sorted entry positions whose names contain a token this one reaches."""
        vocab_ids = {v for key in retrieval_keys(token, query=True) for v in self.key_to_vocab.get(key, ())}
        if not vocab_ids:
            return np.zeros(0, dtype=np.int32)
        slices = [self.postings[self.offsets[v] : self.offsets[v + 1]] for v in vocab_ids]
        if len(slices) == 1:
            return slices[0]
        # Sorted, duplicates allowed: the intersections below tolerate them, and a hash-based
        # np.unique here was the single most expensive call of a query.
        return np.sort(np.concatenate(slices))

    def candidates(
        self, query: Sequence[Token], born: PartialDate | None = None, limit: int = 24, *, drop_far: bool = False
    ) -> list[int]:
        """At most `limit` entry positions, the best-supported first. When a common name reaches more
        entries than that, those born nearest the applicant go first — the date is what tells namesakes
        apart (`date_rank`). With `drop_far`, entries whose every listed date is another person's are left out
        (the engine asks for that when nothing could outweigh such dates)."""
        positions, votes = self._voted(query)
        if not len(positions):
            return []
        # Entries reached by far fewer name parts than the best-supported ones share only a
        # common name with the applicant; scoring them costs the most and never flags.
        keep = votes >= votes.max() // 2
        positions, votes = positions[keep], votes[keep]
        if born is None:
            return positions[np.lexsort((positions, -votes))[:limit]].tolist()  # type: ignore[no-any-return]
        if len(positions) <= limit and not drop_far:
            return positions.tolist()  # type: ignore[no-any-return]
        near = self.dates.closeness(positions, born)
        if drop_far:
            kept = near != FAR
            positions, votes, near = positions[kept], votes[kept], near[kept]
        order = np.lexsort((positions, -near, -votes))[:limit]  # most votes, then born nearest, then list order
        return positions[order].tolist()  # type: ignore[no-any-return]

    def _voted(self, query: Sequence[Token]) -> tuple[NDArray[np.int32], NDArray[np.int64]]:
        """Entries (in list order) with the number of pairs of query words they contain (a word counts as
        contained when the entry has it, has it joined with a neighbour, or has both halves of its split)."""
        words = [t for t in query if t.text not in PARTICLES] or list(query)
        per_word: list[list[NDArray[np.int32]]] = [[self._reach(w)] for w in words]
        for i in range(len(words) - 1):
            joined = self._reach(join_tokens(words[i], words[i + 1]))
            if len(joined):
                per_word[i].append(joined)
                per_word[i + 1].append(joined)
        for i, word in enumerate(words):
            halves = self._split(word)
            if halves:
                both = _intersect(self._reach(halves[0]), self._reach(halves[1]))
                if len(both):
                    per_word[i].append(both)
        if len(words) == 1:
            found = np.unique(np.concatenate(per_word[0]))
            return found, np.ones(len(found), dtype=np.int64)
        # One vote per pair of words an entry contains: the pair's hits, without duplicates, then counted.
        hits = []
        for i in range(len(words)):
            for j in range(i + 1, len(words)):
                pair = [_intersect(a, b) for a in per_word[i] for b in per_word[j]]
                together = np.concatenate(pair) if len(pair) > 1 else pair[0]
                if len(together):
                    hits.append(np.unique(together))
        if not hits:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
        positions, votes = np.unique(np.concatenate(hits), return_counts=True)
        return positions, votes

    def _split(self, token: Token) -> list[Token]:
        """The first split of a token into two known tokens, as two units (or none)."""
        text = token.text
        for cut in range(2, len(text) - 1):
            head, tail = text[:cut], text[cut:]
            if head in self.key_to_vocab and tail in self.key_to_vocab and head not in PARTICLES:
                return [_plain(head, token), _plain(tail, token)]
        return []

    def names_of(self, position: int) -> list[tuple[str, list[Token]]]:
        return [(name, [self.tokens[t] for t in ids]) for name, ids in self.entry_names[position]]

    def listed_words(self, query: Sequence[Token]) -> frozenset[int]:
        """Indexes of the query tokens spelled exactly as some listed name part."""
        return frozenset(i for i, token in enumerate(query) if token.text in self.spellings)

    def __len__(self) -> int:
        return len(self.entries)


def _plain(text: str, source: Token) -> Token:
    return Token(
        text=text, original=source.original, script=source.script, variants=(), keys=frozenset(), how=source.how
    )


def _intersect(a: NDArray[np.int32], b: NDArray[np.int32]) -> NDArray[np.int32]:
    """Sorted-array intersection, searching the smaller array in the larger: O(small · log large)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not len(small) or not len(large):
        return small[:0]
    where = np.searchsorted(large, small)
    where[where == len(large)] = 0
    found: NDArray[np.int32] = small[large[where] == small]
    return found


def _may_be_japanese(entry: WatchlistEntry) -> bool:
    """A Japanese entry, or one whose nationality the list does not give, with a name in kanji."""
    return (not entry.nationalities or "JPN" in entry.nationalities) and any(map(kanji_readings.has_han, entry.names))


def _with_readings(entry: WatchlistEntry) -> list[tuple[str, str]]:
    """(name as shown, name as tokenized): each listed name, then each Japanese reading of a kanji name as a name of
    its own, shown with the kanji ("大野翔太 (オオノ ショウタ)"). A Chinese entry keeps its Chinese reading alone."""
    names = [(name, name) for name in entry.names]
    names += [(f"{name} ({reading})", reading) for name in entry.names for reading in kanji_readings.readings(name)]
    return names
