"""German as a keyboard without umlauts types it: each umlaut and ß and its stand-in
(ä: ae, ß: ss, as Swiss German writes it too). The rules, the word lists and the tone
model all read a draft typed so as one written with the umlauts (rules.typed_without)."""

from __future__ import annotations

WITHOUT_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
# for str.translate: a word with its umlauts spelled out ("versäumt" -> "versaeumt")
SPELLED_OUT = str.maketrans(WITHOUT_UMLAUTS)
