"""RFC 2047 encoded words of a header: the text cut into words of whole characters, each
as long as its line allows, a display name after a space where it can be."""

from __future__ import annotations

import base64
import random

from letterkit.render.email import _WORD, _bytes_for, encoded_words


def words_char_by_char(text: str, first: int = _WORD, *, phrase: bool = False) -> list[str]:
    """The words as they were cut before, one character at a time (the reference)."""
    words: list[bytes] = []
    chunk = b""
    room = _bytes_for(first)
    for char in text:
        data = char.encode("utf-8")
        while chunk and len(chunk) + len(data) > room:
            cut = chunk.rfind(b" ") + 1 if phrase else 0
            cut = cut or len(chunk)
            words.append(chunk[:cut])
            chunk, room = chunk[cut:], _bytes_for(_WORD)
        chunk += data
    if chunk:
        words.append(chunk)
    return [f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words]


def test_words_are_those_cut_one_character_at_a_time():
    rng = random.Random(47)
    alphabet = [*"ab Zz.-", "ü", "ß", "€", "ő", "\u2011", "😀", " "]
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 140)))
        first = rng.choice([_WORD, 69, 66, 20, 13, 1])
        for phrase in (False, True):
            assert encoded_words(text, first, phrase=phrase) == words_char_by_char(text, first, phrase=phrase)


def test_a_word_never_splits_a_character_and_the_words_give_the_text_back():
    text = "Kündigung des Wartungsvertrags Nr. W-2041 – 😀 Grüße aus Köln " * 3
    words = encoded_words(text, 60)
    decoded = [base64.b64decode(word[10:-2]) for word in words]
    assert b"".join(decoded).decode("utf-8") == text
    assert all(len(word) <= _WORD for word in words)
    for piece in decoded:
        piece.decode("utf-8")  # whole characters in each word
