"""The lint engine: the prefilter changes speed, never findings; positions map back to the source."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from letterkit.lint import engine, lint

CORPUS = Path(__file__).resolve().parent / "lint_corpus"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_prefilter_gives_the_same_findings_as_a_full_scan(lang, monkeypatch):
    sentences = [
        item["text"] for item in yaml.safe_load((CORPUS / f"{lang}.yaml").read_text(encoding="utf-8"))
    ]
    text = "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))
    fast = [(f.rule, f.start, f.end) for f in lint(text, lang=lang)]
    monkeypatch.setattr(engine, "USE_PREFILTER", False)
    slow = [(f.rule, f.start, f.end) for f in lint(text, lang=lang)]
    assert fast == slow
    assert len(fast) > 50


def test_positions_point_into_the_source():
    text = "Sehr geehrte Frau Meier,\n\nwir danken Ihnen.\nSie haben es versäumt, zu zahlen.\n"
    (finding,) = [f for f in lint(text, lang="de") if f.category == "blame"]
    assert (finding.line, finding.column) == (4, 14)
    assert text[finding.start : finding.end] == finding.text == "versäumt"


def test_quoted_history_and_quotes_are_not_linted():
    text = (
        "Dear Ms Patel,\n\nThank you for your note. We will send the files by 20 December.\n\n"
        "On Monday, Priya wrote:\n> You failed to deliver and you never reply.\n"
    )
    assert [f for f in lint(text, lang="en") if f.category != "structure"] == []
    quoted = 'Clause 9 reads "the client failed to pay within thirty days" and applies here.'
    assert [f for f in lint(quoted, lang="en") if f.category == "blame"] == []


def test_language_is_detected():
    assert lint("You never reply to our emails and you failed to pay.")[0].rule.startswith(
        ("absolute", "blame")
    )
    assert any(f.rule.startswith("blame") for f in lint("Sie haben es versäumt, die Rechnung zu bezahlen."))


def test_structure_checks_on_a_composed_letter(base):
    import letterkit
    from letterkit.errors import InputError

    base["thanks"] = False
    base["wishes"] = False
    letter = letterkit.compose(base)
    assert "structure/missing-thanks" in {f.rule for f in letter.findings}
    # a note in the other form of address is the input's to fix (tester 40), as blame in it is
    base["reason_note"] = "Wir richten uns neu aus, wie du weißt."
    with pytest.raises(InputError) as info:
        letterkit.compose(base)
    assert "reason_note: The letter mixes Sie and du" in str(info.value)
    base.pop("reason_note")
    base["thanks"] = {"since": 2021}
    assert letterkit.compose(base).findings == ()


def test_structure_checks_on_a_draft():
    draft = (
        "Sehr geehrte Frau Meier,\n\nhiermit kündigen wir den Vertrag. Die Unterlagen schicken wir dir bald. "
        "Bitte bestätigen Sie den Eingang. Wir melden uns bei ihnen.\n\nMfG\nHans Berg\n"
    )
    rules = {f.rule for f in lint(draft, lang="de")}
    assert {
        "structure/missing-end-date",
        "structure/mixed-address",
        "structure/abbreviated-closing",
        "structure/missing-thanks",
    } <= rules


def test_letter_lint_cache_survives_eviction(monkeypatch, base):
    import letterkit
    from letterkit.lint import letter as letter_lint

    monkeypatch.setattr(letter_lint, "_LIMIT", 2)
    letter_lint._PARAGRAPHS.clear()
    letter_lint._LETTERS.clear()
    for reasons in (["capacity"], ["scope"], ["payment_terms"], ["capacity"]):
        base["reasons"] = reasons
        assert letterkit.compose(base).findings == ()
    assert len(letter_lint._PARAGRAPHS) == len(letter_lint._LETTERS) == 2


@pytest.mark.parametrize("lang", ["de", "en"])
def test_patterns_compiled_from_cached_code_equal_re_compile(lang):
    import re

    from letterkit.lint.rules import _rule_set, from_code, load_rules, regex_code

    patterns = [p for rule in load_rules(lang) for p in (*rule.patterns, *rule.unless)]
    patterns += [rule.regex for rule in load_rules(lang) if rule.regex is not None]
    patterns.append(_rule_set(lang).cues)
    assert patterns
    rules = load_rules(lang)
    sample = "\n".join(e for r in rules for e in (*r.examples.get("fail", []), *r.examples.get("pass", [])))
    samples = [sample, sample.lower(), sample.upper(), " ".join(sample.split())]
    factored = 0
    for pattern in patterns:
        code = regex_code(pattern.pattern, pattern.flags)
        assert code is not None, pattern.pattern
        plain = re.compile(pattern.pattern, pattern.flags)
        fast = from_code(pattern.pattern, code)
        assert pattern.compiled == fast
        # Pattern objects compare equal when pattern, flags and engine code are the same;
        # a pattern whose branches were factored (branches.py) has other code, same matches
        if fast != plain:
            factored += 1
            for text in samples:
                assert _found(fast, text) == _found(plain, text), pattern.pattern
    assert factored < len(patterns)


def _found(pattern, text):
    """Every match finditer gives and the match at every position, with their groups."""
    return [(m.span(), m.groups()) for m in pattern.finditer(text)], [
        m and (m.span(), m.groups())
        for m in map(pattern.match, [text] * (len(text) + 1), range(len(text) + 1))
    ]


def test_code_the_engine_refuses_falls_back_to_re_compile():
    import re
    from array import array

    from letterkit.lint.rules import LazyPattern, RegexCode

    pattern = LazyPattern(r"(?<!\S)never(?!\S)", re.IGNORECASE, "test")
    pattern.code = RegexCode(re.UNICODE, array("I", [99]).tobytes(), 0, {}, (None,))
    assert pattern.compiled == re.compile(r"(?<!\S)never(?!\S)", re.IGNORECASE)


@pytest.mark.parametrize(
    "regex,stays",
    [
        (r"(?<!\S)you (?:\S+ ){0,4}late(?!\S)", True),
        (r"you\swill", True),  # a newline is always followed by a space, never by "w"
        (r"you\s+will", False),
        (r"you\s will", False),
        (r"you[^x]*will", False),
        (r"you(?:\s|,)*will", False),
        (r"problem(?=\n)", True),
    ],
)
def test_patterns_that_can_run_into_the_next_sentence_are_known(regex, stays):
    import re

    from letterkit.lint.prefilter import stays_in_sentence
    from letterkit.lint.rules import LazyPattern

    assert stays_in_sentence(LazyPattern(regex, re.IGNORECASE, "test")) is stays


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("density", [engine.SCAN_DENSITY, 0])  # 0: never a full scan
def test_raw_regexes_tried_where_they_can_start_find_what_a_full_scan_finds(lang, density, monkeypatch):
    from letterkit.lint.engine import Index, Matcher
    from letterkit.lint.rules import load_rules
    from letterkit.lint.text import Draft

    drafts = sorted((CORPUS / "drafts").glob("*.txt"))
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in drafts)
    text += "\n\nPlease return the laptops IMMEDIATELY!! NO EXCEPTIONS. Das ist ja SUPER!!! Ganz toll… 😉"
    draft = Draft(text)
    matcher = Matcher(draft, Index.build(draft), lang)
    monkeypatch.setattr(engine, "SCAN_DENSITY", density)
    regexes = [rule.regex for rule in load_rules(lang) if rule.regex is not None]
    assert any(regex.starts for regex in regexes)
    for regex in regexes:
        scanned = [m.span() for m in matcher._scan(regex, text)]
        assert scanned == [m.span() for m in regex.compiled.finditer(text)], regex.origin


def test_places_of_characters_are_where_a_character_set_matches():
    import random
    import re

    from letterkit.lint.engine import _places

    random.seed(11)
    alphabet = "ab;:,'\"😉🙄 \nAZ"
    for _ in range(300):
        text = "".join(random.choice(alphabet) for _ in range(random.randint(0, 60)))
        chars = "".join(sorted(set(random.sample(alphabet, random.randint(1, 5)))))
        expected = [m.start() for m in re.finditer(f"[{re.escape(chars)}]", text)]
        assert _places(text, chars) == expected, (text, chars)


def test_first_characters_of_raw_regexes():
    import re

    from letterkit.lint.prefilter import first_characters
    from letterkit.lint.rules import LazyPattern

    def first(regex: str, flags: int = 0) -> str | None:
        return first_characters(LazyPattern(regex, flags, "test"))

    assert first(r"(?:(?=[A-Z])(?<!\w)(?:NOT|NEVER)|!{2,}|\?!)") == "!?N"
    assert first(r"(?:x)?y|z") == "xyz"
    assert first(r"(?:x)*") is None  # can match the empty string
    assert first(r"(?:\w+)") is None  # a category: any word character
    assert first(r"(?:never)", re.IGNORECASE) is None
    assert first(r"!x") is None  # begins with a literal: the engine looks for it itself
    assert first(r"[!?;]x|:") == "!:;?"  # a set is tested at every position: str.find
    assert first(r"[^!]x") is None  # a negated set: anything else


@pytest.mark.parametrize("lang", ["de", "en"])
def test_unless_patterns_are_skipped_only_where_they_cannot_match(lang):
    from letterkit.lint.engine import Index, _lacks
    from letterkit.lint.prefilter import contained_pieces
    from letterkit.lint.rules import load_rules
    from letterkit.lint.text import Draft

    sentences = [
        item["text"] for item in yaml.safe_load((CORPUS / f"{lang}.yaml").read_text(encoding="utf-8"))
    ]
    index = Index.build(Draft("\n\n".join(sentences)))
    locals_ = [index.local(i) for i in range(len(index.sentences))]
    unless = [p for rule in load_rules(lang) for p in rule.unless]
    assert sum(bool(contained_pieces(p)) for p in unless) > len(unless) // 2
    matched = 0
    for pattern in unless:
        needs = contained_pieces(pattern)
        for local in locals_:
            if pattern.compiled.search(local):
                matched += 1
                assert not _lacks(local.lower(), needs), (pattern.origin, local)
    assert matched > 20
    from letterkit.lint.rules import compile_pattern

    pattern = compile_pattern("never ... forget")
    assert contained_pieces(pattern) == (("never",), ("forget",))
    assert _lacks("we never did", contained_pieces(pattern))


def test_a_word_without_a_literal_beginning_still_names_the_text_it_must_hold():
    """'(?:\\S+\\s){0,3}(?:know|knew|aware)' starts with anything, but every match holds one of
    its verbs: a sentence without them is not scanned (the tone model's exceptions were
    scanned in nearly every sentence it read). An optional part names nothing."""
    from letterkit.lint.engine import _lacks
    from letterkit.lint.prefilter import _factor, contained_pieces, sre_parse
    from letterkit.lint.rules import compile_pattern

    pattern = compile_pattern("(?:\\S+\\s){0,3}(?:know|knew|known|aware) ... from")
    needs = contained_pieces(pattern)
    assert ("aware", "knew", "know") in needs and ("from",) in needs
    assert _lacks("as we told you from the start", needs)
    assert not _lacks("as you surely know from our call", needs)
    assert pattern.compiled.search("as you surely know from our call")

    def factor(regex: str) -> set[str] | None:
        return _factor(list(sre_parse.parse(regex)))

    assert factor(r"(?:truly\s|really\s)?regret") == {"regret"}
    assert factor(r"(?:dear|kind)\s+regards?") == {"regard"}  # the longer run wins
    assert factor(r"(?:abc|d[ae])") == {"abc", "da", "de"}  # a branch: one piece of each
    assert factor(r"(?:abc)?\w+") is None  # optional: nothing is sure


def test_translated_code_is_kept_for_the_patterns_a_run_needed(tmp_path):
    """The first run after an install does not translate all ~1,200 patterns; each run adds
    the code of the patterns it compiled to the cache file when it exits."""
    import pickle
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    script = "import letterkit; letterkit.lint({text!r}, lang='de')"

    def coded() -> tuple[int, int]:
        (path,) = (tmp_path / "letterkit").glob("rules-de-*.pickle")
        rule_set = pickle.loads(path.read_bytes())
        patterns = [p for rule in rule_set.rules for p in (*rule.patterns, *rule.unless)]
        return sum(p.code is not None for p in patterns), len(patterns)

    subprocess.run([sys.executable, "-c", script.format(text="Guten Tag.")], env=env, check=True)
    few, total = coded()
    text = "Sie haben es leider mehrfach versäumt, pünktlich zu zahlen. Das ist unverschämt."
    subprocess.run([sys.executable, "-c", script.format(text=text)], env=env, check=True)
    more, _ = coded()
    assert few < more < total


def test_words_with_sharp_s_are_what_the_regex_finds():
    import re

    from letterkit.lint.structure import _words_with

    for text in ["", "ß", "Straße und Grüße", "x_ßy, aßb-ßc", "Fußball\u0301 İßt 3ß", "ßß ß", "aß\nß_"]:
        assert _words_with(text, "ß") == [m.span() for m in re.finditer(r"\w*ß\w*", text)], text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_two_word_beginnings_keep_the_positions_a_startswith_check_keeps(lang):
    from letterkit.lint.engine import Index, prefilter_for
    from letterkit.lint.prefilter import _followers, _starting
    from letterkit.lint.text import Draft

    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((CORPUS / "drafts").glob("*.txt")))
    index = Index.build(Draft(text))
    lowered = index.joined.lower()
    prefilter = prefilter_for(lang)
    checked = 0
    for (_, word), fulls in prefilter.longer.items():
        positions = index.words.get(word)
        if positions:
            expected = [p for p in positions if lowered.startswith(fulls, p)]
            assert _starting(_followers(lowered, word, positions), lowered, word, fulls) == expected
            checked += 1
    assert checked > 20


def test_package_functions_stay_functions_after_their_submodules_load():
    import importlib
    import types

    import letterkit

    for name in ("compose", "render", "merge"):
        importlib.import_module(f"letterkit.{name}")
        assert isinstance(getattr(letterkit, name), types.FunctionType), name
    assert letterkit.Letter.__name__ == "Letter"
    with pytest.raises(AttributeError):
        letterkit.no_such_name  # noqa: B018


def test_factored_branches_match_what_the_plain_regex_matches():
    import random
    import re

    from letterkit.lint.rules import from_code, regex_code

    random.seed(3)
    alphabet = "abAB'’ -"

    def word():
        return "".join(random.choice("abAB") for _ in range(random.randint(0, 4)))

    def alternative():
        parts = [word()]
        for _ in range(random.randint(0, 2)):
            parts.append(random.choice(["['’]", "(a|b)", "(?:ab|a|)", "(?!a)", "b?", "[aA]", "(?i:a|A)", ""]))
            parts.append(word())
        return "".join(parts)

    factored = 0
    for _ in range(400):
        body = "|".join(alternative() for _ in range(random.randint(2, 9)))
        regex = random.choice(
            ["(?:{})", "(?:{})(?![ab])", "(?:(?:{})[ ]?)+", "(?:{})*b", "(?i)(?:{})", "({})"]
        )
        pattern = regex.format(body)
        flags = random.choice([0, re.IGNORECASE])
        fast = from_code(pattern, regex_code(pattern, flags))
        plain = re.compile(pattern, flags)
        factored += fast != plain
        for _ in range(5):
            text = "".join(random.choice(alphabet) for _ in range(random.randint(0, 30)))
            assert _found(fast, text) == _found(plain, text), (pattern, flags, text)
    assert factored > 50


def test_capitals_rule_with_factored_words_finds_what_the_plain_regex_finds():
    import dataclasses
    import random
    import re

    from letterkit.lint.engine import Index, Matcher
    from letterkit.lint.rules import LazyPattern, load_rules
    from letterkit.lint.text import Draft

    rule = next(r for r in load_rules("en") if r.id == "shouting/capitals")
    assert rule.regex is not None
    plain = re.compile(rule.regex.pattern, rule.regex.flags)
    assert rule.regex.compiled != plain  # the word list is factored
    unfactored = LazyPattern(rule.regex.pattern, rule.regex.flags, "test")
    unfactored._compiled, unfactored.starts = plain, rule.regex.starts
    plain_rule = dataclasses.replace(rule, regex=unfactored)
    words = re.findall(r"[A-Z]{2,}", rule.regex.pattern)
    random.seed(5)
    pieces = [*random.sample(words, 300), "NO", "DON'T", "DON’T", "NOVA", "IT", "ACME", "Please", "I", "A"]
    pieces += ["!!", "?!", ".", ",", "3", "(", '"', "&", "-", "\n", *["the", "we", "pay", "now", "is"] * 60]
    total = 0
    for _ in range(60):
        text = " ".join(random.choice(pieces) for _ in range(200)).replace(" \n ", "\n")
        draft = Draft(text)
        found = list(Matcher(draft, Index.build(draft), "en").run([rule]))
        assert found == list(Matcher(draft, Index.build(draft), "en").run([plain_rule]))
        assert _found(rule.regex.compiled, text) == _found(plain, text)
        total += len(found)
    assert total > 100


def test_a_rules_cache_file_holding_another_key_is_not_used(tmp_path, monkeypatch):
    import pickle

    from letterkit.lint import rules

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = rules._rule_set.__wrapped__("en")
    (cache,) = (tmp_path / "letterkit").glob("rules-en-*.pickle")
    with cache.open("wb") as handle:  # as if another key had the same file name
        other = rules.RuleSet(made.rules[:1], made.words, made.cues, made.regexes, key="another key", lang="en")
        pickle.dump(other, handle)
    again = rules._rule_set.__wrapped__("en")
    assert again.key == made.key and len(again.rules) == len(made.rules)
    assert pickle.loads(cache.read_bytes()).key == made.key


def test_a_plain_text_lint_leaves_html_json_and_hashlib_unimported(tmp_path):
    import subprocess
    import sys

    draft = tmp_path / "draft.txt"
    draft.write_text("You failed to pay. We will NEVER accept this!!", encoding="utf-8")
    script = (
        "import sys\n"
        "from letterkit.lint.run import LintOptions, run_lint\n"
        f"run_lint([{str(draft)!r}], LintOptions(lang='en'))\n"
        "print(sorted(m for m in ('html', 'html.parser', 'json', 'hashlib') if m in sys.modules))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_structure_regexes_are_compiled_from_code_kept_with_the_rules():
    import re

    from letterkit.lint.rules import _rule_set, _set_patterns, language_regex

    pattern = r"^[ \t]*(MfG|LG)[ \t]*[,.!]?[ \t]*$"
    compiled = language_regex("de", pattern, re.MULTILINE)
    assert language_regex("de", pattern, re.MULTILINE) is compiled
    kept = _rule_set("de").regexes[f"{int(re.MULTILINE)}:{pattern}"]
    assert kept.code is not None and kept in list(_set_patterns(_rule_set("de")))
    text = "Danke.\n  MfG,\nLG x\nLG"
    assert _found(compiled, text) == _found(re.compile(pattern, re.MULTILINE), text)


def test_a_pickled_pattern_keeps_its_fields_and_compiles_the_same():
    import pickle
    import re

    from letterkit.lint.rules import LazyPattern, compile_pattern

    pattern = compile_pattern("Sie haben ... versäum{verb}", origin="test")
    pattern.starts, pattern.needs = "S", (("versäum",),)
    pattern.compiled  # noqa: B018  (translates the code, which is pickled with it)
    loaded = pickle.loads(pickle.dumps(pattern))
    assert isinstance(loaded, LazyPattern) and loaded.code is not None
    for name in ("pattern", "flags", "origin", "words", "starts", "needs"):
        assert getattr(loaded, name) == getattr(pattern, name), name
    assert tuple(loaded.code) == tuple(pattern.code)  # type: ignore[arg-type]
    assert loaded.compiled == pattern.compiled == re.compile(pattern.pattern, pattern.flags)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_unless_exceptions_cover_the_tokens_every_unless_match_covers(lang):
    from letterkit.lint.engine import Index, Matcher
    from letterkit.lint.text import Draft

    sentences = [
        item["text"] for item in yaml.safe_load((CORPUS / f"{lang}.yaml").read_text(encoding="utf-8"))
    ]
    drafts = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "drafts").glob(f"{lang}*.txt"))]
    text = "\n\n".join([*drafts, *sentences])
    index = Index.build(Draft(text))
    matcher = Matcher(Draft(text), index, lang)
    rules = [r for r in engine.load_rules(lang) if r.unless]
    covered_somewhere = 0
    for s_index in range(len(index.sentences)):
        local = index.local(s_index)
        size = local.count(" ") + 1
        for rule in rules:
            covered = set()
            for pattern in rule.unless:  # every match, none skipped
                for match in pattern.compiled.finditer(local):
                    a = local.count(" ", 0, match.start())
                    b = local.count(" ", 0, match.end() - 1) if match.end() > 0 else -1
                    covered.update(range(a, b + 1))
            covered_somewhere += bool(covered)
            assert [t for t in range(size) if matcher._excepted(rule, s_index, t)] == sorted(covered)
    assert covered_somewhere > 20


SWISS_DRAFT = """Muster GmbH · Hauptstraße 1 · 10115 Berlin

Frau Chiara Weiß
Bahnhofstrasse 4
8001 Zürich

Kündigung gemäß Vertrag

Grüezi Frau Weiß

Wir beenden den Vertrag per 31. Dezember 2026. Die Übergabe findet in der Hauptstraße 1 statt.
Frau Weiß erhält alle Unterlagen. Wir schließen das Projekt sauber ab.

Vielen Dank für die gute Zusammenarbeit.

Freundliche Grüße

Anna Schmidt
Muster GmbH, Hauptstraße 1, 10115 Berlin
"""


def test_swiss_drafts_keep_the_sharp_s_of_names_and_german_addresses():
    """A German sender's street and a reader called Weiß are no Swiss spelling slips; the
    prose, the subject's 'gemäß' and the closing 'Grüße' are."""
    found = [
        (f.line, f.text)
        for f in lint(SWISS_DRAFT, lang="de", locale="de-CH")
        if f.rule.endswith("sharp-s-ch")
    ]
    assert found == [(7, "gemäß"), (12, "schließen"), (16, "Grüße")]


def test_short_lines_are_read_when_they_speak_to_someone_or_stand_in_the_body():
    """Bullets, table cells and lines of an email carry accusations without a full stop;
    letterhead, address and signature lines (no pronoun, outside the body) stay unread."""
    draft = """Hargreaves & Cole Solicitors
12 High Street

Dear Mr Patel,

We are ending our contract on 31 March 2027. Here is what went wrong:

- You failed to pay the invoice
- Thanks for nothing
- Deadlines missed

Kind regards

Anna Smith
Anderson & Fox Legal Collections Ltd
"""
    found = {(f.line, f.category) for f in lint(draft, lang="en") if f.category != "structure"}
    assert (8, "blame") in found and (9, "sarcasm") in found
    assert not {line for line, _ in found} & {1, 2, 15, 16}
    assert any(f.category == "absolute" for f in lint("Sie haben nie bezahlt", lang="de"))


def test_a_run_on_sentence_is_read_in_linear_steps(monkeypatch):
    """A pasted block of capitals or a chain of absolutes is one 'sentence' of thousands of
    words with a match on nearly every word: each rule's exceptions are worked out once for
    it (not once per match) and a clause reaches a bounded number of words."""
    calls = []
    real_cover = engine.Matcher._cover
    monkeypatch.setattr(
        engine.Matcher,
        "_cover",
        lambda self, rule, at: calls.append((id(rule), at)) or real_cover(self, rule, at),
    )
    sizes = []
    real_clause = engine.Matcher.clause

    def clause(self, sentence, index):
        found = real_clause(self, sentence, index)
        sizes.append(len(found))
        return found

    monkeypatch.setattr(engine.Matcher, "clause", clause)
    findings = lint("WIR " * 3000, lang="de") + lint(
        "You " + "never always constantly " * 500 + ".", lang="en"
    )
    assert findings and len(calls) == len(set(calls)) < 50
    assert sizes and max(sizes) <= 2 * engine.CLAUSE_REACH + 1


def test_one_rule_reports_overlapping_words_once():
    found = [
        f.rule for f in lint("Es tut uns unendlich leid. Die Schuld liegt eindeutig bei Ihnen.", lang="de")
    ]
    assert found.count("over_apology/unendlich-leid") == 1 and found.count("blame/liegt-bei-ihnen") == 1


def test_an_amount_in_francs_does_not_make_a_german_letter_swiss():
    draft = (
        "Sehr geehrter Herr Gerber,\n\nwir beenden die Betreuung Ihrer Filiale zum 31. März 2027. Die "
        "Schlussrechnung über CHF 1'190.00 erhalten Sie im April.\n\nWir danken Ihnen für die gute "
        "Zusammenarbeit.\n\nMit freundlichen Grüßen\nErika Muster\n"
    )
    assert not [f for f in lint(draft, lang="de") if f.rule.endswith("sharp-s-ch")]
    swiss = draft.replace("Mit freundlichen Grüßen", "Freundliche Grüsse").replace(
        "im April", "gemäß Vertrag"
    )
    assert [f.text for f in lint(swiss, lang="de") if f.rule.endswith("sharp-s-ch")] == ["gemäß"]


def test_the_swiss_check_looks_back_a_bounded_way_for_a_name(monkeypatch):
    """Each ß in running text looks for a title before it in a window, not from the start
    of the draft (a megabyte of Swiss text made that quadratic)."""
    from letterkit.lint import structure

    windows = []
    real_regex = structure.language_regex
    name_before = structure.language_data("de")["name_before"]

    class Watched:
        def __init__(self, real):
            self.real = real

        def search(self, text, pos, endpos):
            windows.append(endpos - pos)
            return self.real.search(text, pos, endpos)

    def regex(lang, pattern, flags=0):
        found = real_regex(lang, pattern, flags)
        return Watched(found) if pattern == name_before else found

    monkeypatch.setattr(structure, "language_regex", regex)
    draft = "Freundliche Grüsse\n\n" + "Wir schließen das Projekt gemäß Vertrag ab, wie besprochen. " * 200
    found = [f for f in lint(draft, lang="de") if f.rule.endswith("sharp-s-ch")]
    assert len(found) == 400 and windows and max(windows) <= 60


def test_a_draft_beyond_the_text_limit_is_refused_clearly(monkeypatch, tmp_path):
    """Bounded time and memory: a 50 MB text is refused (exit 2), not linted for minutes."""
    from click.testing import CliRunner

    from letterkit.cli import main
    from letterkit.errors import SourceError
    from letterkit.lint import text

    monkeypatch.setattr(text, "MAX_CHARS", 1_000_000)
    big = tmp_path / "big.txt"
    big.write_text("Wir danken Ihnen für alles. " * 40_000, encoding="utf-8")
    with pytest.raises(SourceError, match="lint it in parts"):
        lint(big)
    result = CliRunner().invoke(main, ["lint", str(big)])
    assert (
        result.exit_code == 2 and "million characters" in result.output and "Traceback" not in result.output
    )
    assert not [
        f for f in lint("Wir danken Ihnen für alles. " * 30_000, lang="de") if f.category != "structure"
    ]


def test_a_long_sentence_is_shown_around_its_finding():
    from letterkit.lint.report import SNIPPET, WORD_REACH, _around

    sentence = "Wir danken Ihnen. " * 20 + "Sie haben versäumt zu zahlen" + " und so weiter" * 20
    shown, at = _around(sentence, "Sie haben versäumt")
    assert len(shown) <= SNIPPET + 2 + 2 * WORD_REACH and shown.startswith("…") and shown.endswith("…")
    assert shown[at : at + len("Sie haben versäumt")] == "Sie haben versäumt"
    assert _around("Kurz und gut.", "gut") == ("Kurz und gut.", 9)


def test_a_long_sentence_is_cut_between_words():
    """A cut one letter into the sentence showed "…ie reichten" for "Sie reichten" (tester 35)."""
    from letterkit.lint.report import SNIPPET, _around

    sentence = (
        "Sie reichten die Belege für die Umsatzsteuervoranmeldungen in diesem Jahr kein einziges Mal "
        "vor dem 5. des Folgemonats ein, obwohl wir das im Februar schriftlich vereinbart hatten und "
        "Sie im Mai und im September noch einmal telefonisch daran erinnert haben."
    )
    assert len(sentence) > SNIPPET
    shown, at = _around(sentence, "kein einziges Mal")
    assert shown.startswith("Sie reichten") and shown.endswith("…")
    assert shown[at : at + len("kein einziges Mal")] == "kein einziges Mal"
    kept = shown.rstrip("…")
    assert sentence.startswith(kept) and sentence[len(kept)] == " "  # the last word whole
    middle = "Wort " * 60 + "Sie haben versäumt" + " Wort" * 60
    shown, at = _around(middle, "Sie haben versäumt")
    assert shown.startswith("…Wort ") and shown.endswith(" Wort…")
    assert shown[at : at + len("Sie haben versäumt")] == "Sie haben versäumt"


@pytest.mark.parametrize(
    "text",
    [
        "Trotz schriftlicher Mahnung gemäss Art. 257d OR blieb die Miete bis heute aus.",
        "Wir kündigen den Vertrag nach § 573 Abs. 2 BGB zum 31. März 2027.",
        "Gemäß Ziff. 7.3 des Vertrags gehen die Unterlagen an Sie zurück.",
        "Under cl. 7 and para. 3 of the agreement, the deposit is returned to you.",
    ],
)
def test_references_to_statutes_and_clauses_end_no_sentence(text: str) -> None:
    from letterkit.lint.text import Draft

    assert [s.text for s in Draft(text).sentences()] == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Das ist nicht unsere Art. Sie haben uns nie informiert.",
        "The storage room was not lit. You never told us.",
        "We moved to Sec. The rest followed.",
    ],
)
def test_those_words_still_end_a_sentence_before_a_word(text: str) -> None:
    from letterkit.lint.text import Draft

    assert len(Draft(text).sentences()) == 2


def examples_and_corpus(lang):
    """The index and a Matcher of one draft of every rule example and corpus sentence."""
    from letterkit.lint.engine import Index, Matcher
    from letterkit.lint.rules import load_rules
    from letterkit.lint.text import Draft

    examples = [
        text for rule in load_rules(lang) for key in ("fail", "pass") for text in rule.examples.get(key, [])
    ]
    sentences = [
        item["text"] for item in yaml.safe_load((CORPUS / f"{lang}.yaml").read_text(encoding="utf-8"))
    ]
    draft = Draft("\n\n".join([*examples, *sentences]))
    index = Index.build(draft)
    return index, Matcher(draft, index, lang, None)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_patterns_without_a_literal_beginning_are_tried_only_in_sentences_with_their_text(lang):
    """A pattern that starts with anything ("(?:\\S+\\s)authority", "(?:not|\\S*n't) ...") was
    scanned at every position of the draft; now only the words of the sentences that hold
    the text its matches must hold are tried, and it finds what a full scan finds."""
    from letterkit.lint.engine import Index, Matcher, _all_patterns, prefilter_for
    from letterkit.lint.text import Draft

    index, matcher = examples_and_corpus(lang)
    prefilter, patterns = prefilter_for(lang), _all_patterns(lang)
    assert len(prefilter.pieces) >= 4
    found = 0
    for number in prefilter.pieces:
        tried = matcher._starts_in_sentences_with(number)
        assert tried is not None and len(tried) < index.joined.count(" ") // 2
        fast = [m.span() for m in matcher._finditer(patterns[number])]
        assert fast == [m.span() for m in patterns[number].finditer(index.joined)], patterns[number].origin
        found += len(fast)
    assert found >= 10
    # a letter that a case-blind regex reads as another ("ı" as "i") leaves the lower case no
    # guide: such a text is scanned in full
    dotless = Draft("Sıe haben das nıcht verstanden.")
    assert Matcher(dotless, Index.build(dotless), lang, None)._starts_in_sentences_with(number) is None


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_patterns_given_places_are_those_viable_from_the_words(lang):
    """The rules a draft can trip are found from the patterns ``candidates`` gives places
    for, which must be those ``viable`` finds from the draft's words alone."""
    from letterkit.lint.engine import Index, prefilter_for
    from letterkit.lint.text import Draft

    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((CORPUS / "drafts").glob("*.txt")))
    sentences = [item["text"] for item in yaml.safe_load((CORPUS / f"{lang}.yaml").read_text(encoding="utf-8"))]
    index = Index.build(Draft(text + "\n\n" + " ".join(sentences) + "\nİstanbul"))
    prefilter = prefilter_for(lang)
    present = prefilter.present(index.words)
    viable = prefilter.viable(index.words, present)
    assert len(viable) > 200
    assert set(prefilter.candidates(index.words, index.joined.lower(), present)) == viable
    assert set(prefilter.candidates(index.words, None, present)) == viable


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_places_are_the_same_looked_up_by_word_or_by_beginning(lang, monkeypatch):
    """A short draft has each beginning of each of its words looked up in the prefilter's
    table, a long one each beginning among its sorted words (``SORTED_LOOKUP``): the same
    patterns get the same places, each a word with one of their beginnings (checked for the
    two-word ones), once and in order."""
    from letterkit.lint import prefilter as prefilter_module
    from letterkit.lint.engine import prefilter_for

    index, _ = examples_and_corpus(lang)
    prefilter, lowered = prefilter_for(lang), index.joined.lower()
    found = []
    for lookup in (0, 10**9):  # by word, by beginning
        monkeypatch.setattr(prefilter_module, "SORTED_LOOKUP", lookup)
        candidates = prefilter.candidates(index.words, lowered)
        found.append({number: candidates[number] for number in candidates})
    by_word, by_beginning = found
    assert by_word == by_beginning and len(by_word) > 300
    starts = {p for positions in index.words.values() for p in positions}
    for number, positions in by_word.items():
        assert positions == sorted(set(positions)) and starts.issuperset(positions)
        beginnings = prefilter.by_word, prefilter.by_prefix
        for at in positions[:1] + positions[-1:]:  # none where a two-word beginning is not there
            assert any(number in table.get(key, ()) for table in beginnings for key in _heads(lowered, at))


def _heads(lowered: str, at: int) -> list[str]:
    """The word at ``at`` of a token string and each beginning of it."""
    word = lowered[at:].split(" ", 1)[0].rstrip("\n")
    return [word[:length] for length in range(1, len(word) + 1)]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_patterns_with_a_common_first_word_are_tried_only_in_sentences_with_their_text(lang):
    """A pattern whose first word is everywhere ("the", "a", "we", "Sie") and whose later
    words have no literal beginning ("(?:any|no)\\s(?:\\S+\\s)?excuses?") was tried at every
    one of those words; now only in the sentences that hold a piece of text of each group
    every match holds one of (``Prefilter.groups``), and it finds what a full scan finds."""
    from letterkit.lint.engine import CONTAINS_MIN, _all_patterns, prefilter_for

    index, matcher = examples_and_corpus(lang)
    prefilter, patterns = prefilter_for(lang), _all_patterns(lang)
    numbers = [number for number in range(len(patterns)) if prefilter.groups(number)]
    assert len(numbers) >= 100
    every = tried = found = 0
    for number in numbers:
        positions = matcher._candidates().get(number, [])
        if len(positions) < CONTAINS_MIN:
            continue
        every += len(positions)
        tried += len(matcher._in_possible_sentences(number, positions))
        fast = [m.span() for m in matcher._finditer(patterns[number])]
        assert fast == [m.span() for m in patterns[number].finditer(index.joined)], patterns[number].origin
        found += len(fast)
    assert every > 5_000 and tried < every // 2
    assert found >= 10


def test_a_clock_time_before_a_quoted_word_ends_no_sentence() -> None:
    """"your 2 a.m. “URGENT” tickets" was cut after "a.m." (tester 35); before a capital
    "a.m." may still end one."""
    from letterkit.lint.text import Draft

    whole = "We're confident your next vendor will enjoy your 2\u00a0a.m. “URGENT” tickets just as much as we did."
    assert [s.text for s in Draft(whole + "\n").sentences()] == [whole]
    assert [s.text for s in Draft("We open at 9 a.m. Please call before then.\n").sentences()] == [
        "We open at 9 a.m.",
        "Please call before then.",
    ]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_patterns_with_few_places_are_tried_in_the_sentences_of_a_rare_group(lang):
    """A pattern with few places to try is tried only in the sentences of its rarest group of
    needed words, ranked by counts each beginning keeps for every group that holds it: the
    count of a beginning is how often the words with it occur, and the places kept find
    every match a full scan finds."""
    from bisect import bisect_left

    from letterkit.lint.engine import CONTAINS_MIN, _all_patterns, prefilter_for

    index, matcher = examples_and_corpus(lang)
    words = sorted(index.words)
    for beginning in ("you ", "your ", "the ", "sie ", "unfortunate", "zzz", "the hell"):
        if " " in beginning.rstrip(" "):
            expected = 0
        elif beginning.endswith(" "):
            expected = len(index.words.get(beginning[:-1], ()))
        else:
            expected = sum(len(index.words[w]) for w in words[bisect_left(words, beginning) :] if w.startswith(beginning))
        assert matcher._beginning_count(beginning) == expected
    prefilter, patterns = prefilter_for(lang), _all_patterns(lang)
    narrowed = checked = 0
    for number, positions in matcher._candidates().items():
        if len(positions) >= CONTAINS_MIN or not prefilter.in_sentence[number] or not prefilter.needs[number]:
            continue
        tried = matcher._in_possible_sentences(number, positions)
        narrowed += len(tried) < len(positions)
        kept = set(tried)
        full = [m.start() for m in patterns[number].finditer(index.joined)]
        assert all(start in kept for start in full if start in set(positions)), patterns[number].origin
        checked += 1
    # the narrowing is exercised: how many patterns it narrows depends on the text, which holds
    # every rule's examples (English: 20 of 592 with the rules of session 23)
    assert checked > 100 and narrowed > 10


@pytest.mark.parametrize("times", [3, 120])  # a short draft and a long one
def test_a_sentence_that_comes_again_is_covered_once_per_rule(times, monkeypatch):
    """What a rule's ``unless`` patterns cover of a sentence depends on its words alone: a
    sentence that comes again is scanned once per rule, and is covered alike wherever it
    stands (here "As you know from our conversation", which the tone model does not read)."""
    from letterkit.lint.engine import Index, Matcher
    from letterkit.lint.rules import load_rules
    from letterkit.lint.text import Draft

    again = "As you know from our conversation yesterday, the delivery is late again."
    other = "We will send the invoice on Monday as agreed."
    draft = Draft("\n\n".join([again, other] * times) + "\n")
    index = Index.build(draft)
    assert len(index.sentences) == 2 * times
    matcher = Matcher(draft, index, "en", None)
    rule = next(r for r in load_rules("en") if r.kind == "model")
    scanned: list[str] = []
    real = matcher._scan_cover
    monkeypatch.setattr(
        matcher, "_scan_cover", lambda rule, local, lowered: scanned.append(local) or real(rule, local, lowered)
    )
    covers = [matcher._cover(rule, s) for s in range(len(index.sentences))]
    assert any(covers[0]) and covers[::2] == [covers[0]] * times
    assert not any(covers[1]) and all(not any(c) for c in covers[1::2])
    assert len(scanned) == len(set(scanned)) <= 2  # each distinct sentence at most once
    fresh = Matcher(draft, index, "en", None)  # the last place, scanned anew: the same cover
    assert fresh._scan_cover(rule, *fresh._local(2 * times - 2)) == covers[0]
