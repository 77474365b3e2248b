"""Write the list of common short German words into the German shouting rule.

    pip install wordfreq      # for this script only
    python scripts/german_short_words.py

A word of three to five capitals is shouting when it is an ordinary word ("NIE", "JETZT",
"BITTE", "KEIN") and a code when it is not ("ESTV", "LMIV", "ÖNORM", "HKS"): no list of
acronyms is ever complete, but the ordinary words are known. The ~6,000 words of three to
five letters among the 30,000 most frequent German words (wordfreq) go, in capitals, into
the lookahead of rule grossbuchstaben in letterkit/lint/rules/de/shouting.yaml, between
the markers; longer words are judged as before (the acronym list). Acronyms that are
frequent words in wordfreq's data (GMBH, PDF, DIN) stay quiet through that acronym list.
"""

from __future__ import annotations

import re
from pathlib import Path

from wordfreq import top_n_list

RULES = Path(__file__).resolve().parent.parent / "letterkit" / "lint" / "rules" / "de" / "shouting.yaml"
START, END = "(?=[A-ZÄÖÜß]{6}|[A-ZÄÖÜß]{3,5}-|(?:", ")(?![A-ZÄÖÜß0-9]))"


def short_words() -> list[str]:
    words = [w for w in top_n_list("de", 30_000) if re.fullmatch(r"[a-zäöüß]{3,5}", w)]
    capitals = set()
    for word in words:
        capitals.add(word.upper())  # ß -> SS
        capitals.add("".join("ß" if c == "ß" else c.upper() for c in word))
    return sorted(capitals, key=lambda w: (-len(w), w))


def main() -> None:
    text = RULES.read_text(encoding="utf-8")
    lookahead = START + "|".join(short_words()) + END
    if START in text:
        before, rest = text.split(START, 1)
        text = before + lookahead + rest.split(END, 1)[1]
    else:
        anchor = "(?=[A-ZÄÖÜ][A-ZÄÖÜß]{2})"
        assert text.count(anchor) == 1, "the rule's pattern has changed; update this script"
        text = text.replace(anchor, anchor + lookahead)
    RULES.write_text(text, encoding="utf-8")
    print(f"wrote {len(short_words())} words into {RULES}")


if __name__ == "__main__":
    main()
