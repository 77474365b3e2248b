"""Run-on "sentences" (a pasted log of thousands of lines without end punctuation): the
one-line offsets, the wrapped lines and the token lookups worked out once per sentence give
what the direct formulas give, which cost as much as the sentence is long at every call."""

from __future__ import annotations

import random

from letterkit.lint import lint
from letterkit.lint.engine import LONG_SPAN, Index
from letterkit.lint.text import Draft, Sentence, _logical_lines

PIECES = ["a", "bb", "Wort", "ßx", "É", " ", "  ", "\n", "\t", "\u00a0", ".", ",", ":", " · ", "·", "x" * 45, "\u2003", "!"]


def direct_plain_offset(sentence: Sentence, position: int) -> int:
    before = sentence.text[: position - sentence.start]
    plain = " ".join(before.split())
    return len(plain) + (1 if plain and before[-1:].isspace() else 0)


def direct_logical_lines(text: str) -> list[tuple[int, int]]:
    """Each line joined to the previous one when the whole logical line so far goes on."""

    def goes_on(previous: str) -> bool:
        stripped = previous.rstrip()
        if stripped.endswith(","):
            return True
        return len(stripped) > 40 and not stripped.endswith((".", "!", "?", ":")) and " · " not in stripped

    def cut_mid_sentence(previous: str, raw: str) -> bool:
        last_line = previous.rstrip().split("\n")[-1]
        words = last_line.split()
        return (
            len(words) >= 2
            and words[-1].isalpha()
            and words[-1][0].islower()
            and " · " not in previous
            and raw.lstrip()[:1].islower()
        )

    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        if raw.strip():
            previous = text[lines[-1][0] : lines[-1][1]] if lines else ""
            if lines and (goes_on(previous) or cut_mid_sentence(previous, raw)):
                lines[-1] = (lines[-1][0], end)
            else:
                lines.append((pos, end))
        pos = end + 1
    return lines


def random_texts(count: int) -> list[str]:
    rng = random.Random(17)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_plain_offset_is_the_one_line_form_of_the_text_before() -> None:
    for text in random_texts(3000):
        sentence = Sentence(text, 50, 50 + len(text), 0, text.split())
        for position in range(50, 51 + len(text)):
            assert sentence.plain_offset(position) == direct_plain_offset(sentence, position), (text, position)


def test_logical_lines_join_as_the_whole_line_so_far_says() -> None:
    for text in random_texts(5000):
        assert _logical_lines(text) == direct_logical_lines(text), text


def test_token_lookup_far_into_a_long_sentence_counts_the_spaces_before_it() -> None:
    words = [f"w{i % 97}" for i in range(3 * LONG_SPAN)]
    draft = Draft("First sentence here. " + " ".join(words) + "\n\nLast one.")
    index = Index.build(draft)
    long_one = max(range(len(index.sentences)), key=lambda i: len(index.sentences[i].words))
    start = index.offsets[long_one]
    for position in range(start, start + len(index.local(long_one)), 7):
        assert index.token_at(position) == (long_one, index.joined.count(" ", start, position))


def test_a_run_on_paragraph_of_thousands_of_lines_is_linted_line_by_line() -> None:
    line = "request {n} was rejected: You must provide a valid API key; the job goes on"
    log = "\n".join(line.format(n=n) for n in range(400))
    findings = lint("Dear Ms Patel,\n\nThe sync log follows.\n\n" + log + "\n\nKind regards\nEmma\n", lang="en")
    must = [f for f in findings if f.rule == "negative_framing/must"]
    assert len(must) == 400
    # each finding's place in its one-line sentence is where the line's text stands in it
    for finding in must[:5] + must[-5:]:
        assert finding.sentence[finding.sentence_at :].startswith(finding.text)
