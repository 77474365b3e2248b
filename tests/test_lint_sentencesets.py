"""The sentence sets of a draft (sentencesets.py) and the patterns tried only in the
sentences that hold a piece of each of their groups."""

from __future__ import annotations

import pytest

from letterkit.lint import sentencesets
from letterkit.lint.engine import Index, Matcher, _all_patterns, prefilter_for
from letterkit.lint.sentencesets import SentenceSets, members
from letterkit.lint.text import Draft

TEXT = (
    "This notice is final. The contract is void. We never agreed.\n\n"
    "Our notice stands, and the contract holds. Nobody said it was null.\n\n"
    "This notice is now void and withdrawn. Thank you.\n"
)


def _sets(text: str) -> tuple[Index, SentenceSets]:
    index = Index.build(Draft(text))
    return index, SentenceSets(index.offsets, index.words, len(index.joined))


def _plainly(index: Index, holds) -> list[int]:
    """The sentences one of whose lower-case words ``holds`` says yes to."""
    return [
        number
        for number, sentence in enumerate(index.sentences)
        if any(holds(word.lower().replace("’", "'")) for word in sentence.words)
    ]


def test_the_sets_are_the_sentences_a_plain_search_finds():
    index, sets = _sets(TEXT)
    assert list(members(sets.word("notice"))) == _plainly(index, lambda w: w == "notice") == [0, 3, 5]
    assert list(members(sets.holding(("oid", "ull")))) == _plainly(index, lambda w: "oid" in w or "ull" in w)
    assert list(members(sets.beginning(("contr", "never ")))) == [1, 2, 3]
    # a beginning that runs into the next word counts its first word, whole
    assert list(members(sets.beginning(("our notice",)))) == [3]
    assert sets.count((False, ("notice ",))) == 3
    # the sentences of every group whose words occur at most ``limit`` times, the rarest first
    groups = [(False, ("this ", "our ")), (True, ("void", "null")), (True, ("withdrawn",))]
    assert list(members(sets.narrowed(groups, 10))) == [5]
    # "is" (this, is, final, said, it …) is too common to look up, and "w" too short
    assert list(members(sets.narrowed([(True, ("void", "null")), (True, ("is",))], 3, 1))) == [1, 4, 5]
    assert list(members(sets.narrowed([(True, ("void", "null")), (True, ("w",))], 99))) == [1, 4, 5]
    assert list(members(sets.narrowed([(True, ("void", "null")), (True, ("w",))], 99, 1))) == [4, 5]
    assert sets.narrowed([(True, ("zebra",))], 10) == 0
    assert sets.narrowed([], 10) == -1


def test_an_empty_draft_has_no_sentences():
    index, sets = _sets("  \n\n")
    assert sets.size == 0 and sets.within([], 0, index.offsets) == []


@pytest.mark.parametrize("few", [1, 1_000])
def test_positions_are_picked_out_by_their_sentences_either_way(monkeypatch, few):
    """Position by position, or sentence by sentence (few sentences): the same positions."""
    index, sets = _sets(TEXT * 3)
    monkeypatch.setattr(sentencesets, "FEW_SENTENCES", few)
    positions = sorted(p for word in ("the", "this", "is", "you") for p in index.words[word])
    wanted = sets.word("void") | sets.word("thank")
    expected = [p for p in positions if index.token_at(p)[0] in set(members(wanted))]
    assert len(expected) < len(positions)
    assert sets.within(positions, wanted, index.offsets) == expected


def test_a_pattern_is_tried_only_where_a_sentence_holds_each_of_its_groups():
    """ "this notice … (\\S+\\s){0,4}(void|null|withdrawn …)": the words after the gap have no
    literal beginning, so only the first words ("this notice", everywhere) gave places to try;
    now only the sentence that also holds "void" is tried, and the matches are a full scan's."""
    patterns, prefilter = _all_patterns("en"), prefilter_for("en")
    number = next(
        n for n, p in enumerate(patterns) if "this\\snotice" in p.pattern and "withdrawn" in p.pattern
    )
    assert len(prefilter.groups(number)) >= 2
    filler = "This notice is sent to you today. The notice is long. " * 40
    draft = Draft(filler + "\n\nIn short, this notice is hereby null and void.\n")
    index = Index.build(draft)
    matcher = Matcher(draft, index, "en", None)
    positions = matcher._candidates()[number]
    tried = matcher._in_possible_sentences(number, positions)
    assert len(positions) >= 64 and len(tried) == 1
    assert index.joined[tried[0] :].startswith("this notice is hereby null")
    fast = [m.span() for m in matcher._finditer(patterns[number])]
    assert fast == [m.span() for m in patterns[number].finditer(index.joined)] != []


@pytest.mark.parametrize("common", [1, 3, 10_000])
def test_a_common_word_shared_by_groups_gives_the_same_sets(monkeypatch, common):
    """A word that occurs ``COMMON`` times or more has a set of its own, ORed into each group
    it is in: the groups' sets are those of marking every position, whichever words are so."""
    monkeypatch.setattr(sentencesets, "COMMON", common)
    index, sets = _sets(TEXT * 40)
    groups = [(False, ("the", "this ")), (False, ("notice ", "void ")), (True, ("oid", "ank")), (False, ("zebra",))]
    for group in groups:
        expected = sets._set_of(index.words[sets._sorted[n]] for n in sets._group_words(group))
        assert sets.sentences(group) == expected
    assert list(members(sets.sentences(groups[1]))) == _plainly(index, lambda w: w in ("notice", "void"))
    assert sets.sentences(groups[3]) == 0 and list(members(0)) == []


def test_a_set_is_a_byte_per_sentence():
    """Sentence n is byte n of the set (little-endian): bytes_of and members read it so."""
    _, sets = _sets(TEXT)
    void = sets.word("void")
    assert sets.bytes_of(void) == bytes(1 if n in (1, 5) else 0 for n in range(sets.size))
    assert list(members(void)) == [1, 5] and void == (1 << 8) | (1 << 40)


def test_the_words_holding_a_piece_are_those_a_plain_search_finds():
    """``WordPieces`` looks a piece of three letters or more up by its rarest three-letter
    run, a shorter one in the words' text: either way the words that hold it, in order."""
    index, _ = _sets(TEXT + "Voided, avoidance and nullification are nowhere. Über Straße.\n")
    words = sorted(index.words)
    pieces = sentencesets.WordPieces(words)
    asked = ["oid", "void", "voide", "ull", "null", "nullif", "ice", "ot", "o", "is", "zzz", "xvoid", "ß", "stra", "übe"]
    for piece in asked + [word for word in words] + [word[1:-1] for word in words if len(word) > 4]:
        assert pieces.holding(piece) == [n for n, word in enumerate(words) if piece in word], piece


def test_the_words_past_a_beginning_are_found_by_bisection():
    words = sorted(["a", "ab", "abc", "abd", "ac", "b", "ba", "\U0010ffff", "\U0010ffffa", "z"])
    for head in ["a", "ab", "abc", "ac", "b", "bb", "c", "", "\U0010ffff", "z", "zz"]:
        first = next((n for n, word in enumerate(words) if word >= head), len(words))
        past = sentencesets.past_prefix(words, head, first)
        assert words[first:past] == [word for word in words if word.startswith(head)], head
