"""Body skeletons (letterkit/render/skeleton.py): letters of one structure filled into the
body rendered once with tokens — byte for byte what docxtpl renders, whatever the data,
and never used where a template does more with a value than print it."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment
from test_docx_fast import LETTERHEAD, _before_last, docxtpl_render, random_text
from test_render_docx import DE_BLOCKS, english, german

from letterkit.letter import Block, Reference
from letterkit.render import docx as docx_module
from letterkit.render.docx import render_docx
from letterkit.render.docx_skeleton import Skeletons
from letterkit.render.package import build_zip, read_zip
from letterkit.resources import template_path
from letterkit.skeleton import ITEM, OUTPUT, STRUCT, TRUTH, Usage, analyse

ROOT = Path(__file__).resolve().parent.parent


def skeletons_of(template: Path | None, lang: str = "de") -> Skeletons:
    path = template or template_path(lang, "letter.docx")
    origin = str(template) if template else f"built-in template {path}"
    prepared = docx_module._prepared(path.read_bytes(), origin)
    body = prepared._parts[0]
    assert body.skeletons is not None
    return body.skeletons


def usage_at(usage: Usage | None, *path: str) -> set[str]:
    assert usage is not None
    node = usage
    for segment in path:
        node = node.children[segment]
    return node.marks


def with_body_paragraph(tmp_path: Path, paragraph: str, name: str = "custom.docx") -> Path:
    """The German template with one more body paragraph before the section properties."""
    parts = read_zip((ROOT / "templates" / "de" / "letter.docx").read_bytes())
    document = parts["word/document.xml"].decode("utf-8")
    parts["word/document.xml"] = _before_last(document, "<w:sectPr", paragraph).encode("utf-8")
    path = tmp_path / name
    path.write_bytes(build_zip(parts))
    return path


def varied(make: Any, rng: random.Random, text: Any) -> Any:
    name, company = text(rng), text(rng)
    return make(
        salutation=f"Sehr geehrte Frau {name},",
        recipient_address=(company, f"Frau {name}", "Nebenweg 2", "80331 München"),
        references=(Reference("Ihr Vertrag", text(rng)),),
        blocks=(Block("decision", f"Wir kündigen zum 31. Dezember 2026, {name}."), *DE_BLOCKS[1:]),
    )


def plain_text(rng: random.Random) -> str:
    """Names and references as exports hold them, with markup characters and quotes."""
    alphabet = [*"abcXYZ äöüßÉ 0123456789&<>\"'-.,/()", "🙂", "\xa0", "ש", "O'Neil", "M&S"]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))


@pytest.mark.parametrize("template", [None, LETTERHEAD], ids=["built-in", "letterhead"])
def test_letters_of_one_structure_are_filled_byte_identical(template: Path | None) -> None:
    docx_module._prepared.cache_clear()
    rng = random.Random(11)
    for number in range(30):
        letter = varied(german, rng, plain_text if number % 3 else random_text)
        assert render_docx(letter, template) == docxtpl_render(letter, template), number
    assert skeletons_of(template).hits >= 15


def test_every_structure_gets_its_own_skeleton() -> None:
    """Fewer references, no enclosures, an empty subject: each a structure of its own."""
    docx_module._prepared.cache_clear()
    letters = [
        german(),
        german(references=()),
        german(enclosures=()),
        german(enclosures_label=""),
        german(subject=""),
        german(recipient_address=()),
        english(),
        english(signature=("Only one line",)),
    ]
    for letter in [*letters, *letters]:
        assert render_docx(letter) == docxtpl_render(letter), letter.subject
    assert skeletons_of(None).hits >= 6
    assert skeletons_of(None, "en").hits >= 2


def test_the_built_in_body_prints_every_value_as_it_is() -> None:
    docx_module._prepared.cache_clear()
    usage = skeletons_of(None)._usage
    assert usage_at(usage, "blocks", ITEM, "text") == {OUTPUT}
    assert usage_at(usage, "references", ITEM, "value") == {OUTPUT}
    assert usage_at(usage, "recipient_address") >= {TRUTH}
    assert usage_at(usage, "recipient_address", ITEM) == {OUTPUT}
    assert "part" not in usage.children["blocks"].children[ITEM].children


def test_analysis_follows_what_a_template_does_with_a_value() -> None:
    environment = Environment(autoescape=True)
    usage = analyse(
        environment.parse(
            "{{ a }}{{ b|upper }}{% if c == 'x' %}{% endif %}{% if not d %}{% endif %}"
            "{% for i in items %}{{ i.x }}{{ i.y[:2] }}{{ loop.index }}{% endfor %}{{ e.strip() }}"
            "{{ f if g else h }}{{ labels['page'] }}"
        )
    )
    assert usage_at(usage, "a") == {OUTPUT}
    assert usage_at(usage, "b") == {STRUCT}
    assert usage_at(usage, "c") == {STRUCT}
    assert usage_at(usage, "d") == {TRUTH}
    assert usage_at(usage, "items", ITEM, "x") == {OUTPUT}
    assert usage_at(usage, "items", ITEM, "y") == {STRUCT}
    assert usage_at(usage, "e", "strip") == {STRUCT}
    assert usage_at(usage, "f") == usage_at(usage, "g") == usage_at(usage, "h") == {STRUCT}
    assert usage_at(usage, "labels", "page") == {OUTPUT}
    assert "loop" not in usage.children
    assign = analyse(environment.parse("{% set x = a %}{{ x }}{% set a = 'b' %}{{ a }}"))
    assert usage_at(assign, "a") == {STRUCT}
    assert "x" not in assign.children  # the template's own name, not the context's
    for unsupported in (
        "{% with x = a %}{{ x }}{% endwith %}",
        "{% macro m() %}{% endmacro %}",
        "{% for a, b in c %}{% endfor %}",
        "{% set a, b = c %}",
    ):
        assert analyse(environment.parse(unsupported)) is None, unsupported


def test_a_template_that_transforms_or_compares_values_stays_exact(tmp_path: Path) -> None:
    paragraph = (
        '<w:p><w:r><w:t xml:space="preserve">{{ subject|upper }} / {{ closing[:3] }} / '
        '{% for b in blocks %}{{ b.text if b.part == "thanks" else b.part }} {% endfor %}'
        "{% if salutation == 'Hallo,' %}HALLO{% endif %}</w:t></w:r></w:p>"
    )
    path = with_body_paragraph(tmp_path, paragraph)
    docx_module._prepared.cache_clear()
    letters = [
        german(),
        german(subject="Kündigung Nr. 2"),
        german(salutation="Hallo,"),
        german(closing="Beste Grüße"),
        german(blocks=(Block("thanks", "Vielen Dank, Frau Ärger."), *DE_BLOCKS[1:])),
        german(blocks=(Block("thanks", "Danke schön."), *DE_BLOCKS[1:])),
    ]
    for letter in [*letters, *letters]:
        assert render_docx(letter, path) == docxtpl_render(letter, path), letter.subject
    usage = skeletons_of(path)._usage
    assert usage_at(usage, "subject") == {OUTPUT, STRUCT}
    assert usage_at(usage, "blocks", ITEM, "text") == {OUTPUT, STRUCT}


def test_a_value_in_an_attribute_is_never_filled(tmp_path: Path) -> None:
    """A placeholder inside markup is escaped differently: that structure takes the normal path."""
    paragraph = (
        '<w:p><w:pPr><w:pStyle w:val="{{ subject }}"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">{{ closing }}</w:t></w:r></w:p>'
    )
    path = with_body_paragraph(tmp_path, paragraph)
    docx_module._prepared.cache_clear()
    for subject in ("Kündigung", 'Kündigung "jetzt"', "A & B", "Kündigung"):
        letter = german(subject=subject)
        assert render_docx(letter, path) == docxtpl_render(letter, path), subject
    skeletons = skeletons_of(path)
    assert skeletons.hits == 0
    assert all(cut is None for cut in skeletons._cuts.values())


def test_a_string_printed_twice_gets_no_break_hyphens_in_both_places(tmp_path: Path) -> None:
    """A reference ("W-12", kept on one line with U+2011) printed in two places of the body's
    text: each place gets Word's non-breaking hyphens, as the normal path writes them."""
    paragraph = '<w:p><w:r><w:t xml:space="preserve">{{ subject }} / {{ subject }}</w:t></w:r></w:p>'
    path = with_body_paragraph(tmp_path, paragraph)
    docx_module._prepared.cache_clear()
    subjects = ("Kündigung W-12", "Kündigung W-13-2026", "Kündigung", "Kündigung RV-2019-03 & W-1")
    hyphens = {}
    for subject in (*subjects, *subjects):
        letter = german(subject=subject, references=(Reference("Vertrag", subject[10:] or "X-1"),))
        data = render_docx(letter, path)
        assert data == docxtpl_render(letter, path), subject
        hyphens[subject] = read_zip(data)["word/document.xml"].count(b"<w:noBreakHyphen/>")
    assert hyphens["Kündigung W-12"] >= hyphens["Kündigung"] + 2  # the subject's, in both places
    assert skeletons_of(path).hits >= 4


@pytest.mark.parametrize(
    ("statement", "skeletons"),
    [
        ("{% set s = subject %}{{ s }}", True),
        ("{% macro m(s) %}{{ s }}{% endmacro %}{{ m(subject) }}", False),
    ],
)
def test_set_makes_a_value_structure_and_macros_turn_skeletons_off(
    tmp_path: Path, statement: str, skeletons: bool
) -> None:
    paragraph = f'<w:p><w:r><w:t xml:space="preserve">{statement}</w:t></w:r></w:p>'
    path = with_body_paragraph(tmp_path, paragraph)
    docx_module._prepared.cache_clear()
    for letter in (german(), german(subject="Anders"), german(), german(subject="Anders")):
        assert render_docx(letter, path) == docxtpl_render(letter, path)
    prepared = docx_module._prepared(path.read_bytes(), str(path))
    assert (prepared._parts[0].skeletons is not None) is skeletons
    if skeletons:
        assert STRUCT in usage_at(skeletons_of(path)._usage, "subject")
        assert skeletons_of(path).hits == 2


def test_learning_stops_when_every_letter_has_a_structure_of_its_own(tmp_path: Path) -> None:
    """A key holding a value that differs in every letter never pays: after a trial, the
    letters are rendered once each (not twice), with the same bytes."""
    paragraph = '<w:p><w:r><w:t xml:space="preserve">{{ subject|upper }}</w:t></w:r></w:p>'
    path = with_body_paragraph(tmp_path, paragraph)
    docx_module._prepared.cache_clear()
    for number in range(100):
        letter = german(subject=f"Kündigung Nr. {number}")
        data = render_docx(letter, path)
        if number % 25 == 0:
            assert data == docxtpl_render(letter, path)
    skeletons = skeletons_of(path)
    assert skeletons.hits == 0
    assert len(skeletons._cuts) == 64


def test_the_unsafe_test_is_the_anchored_pattern_it_replaced() -> None:
    from letterkit.render.docx_skeleton import _unsafe

    anchored = re.compile(r"[\x00-\x1f\x7f{}\ue000-\ue003\ufffe\uffff\ud800-\udfff]|^[_%]|[_%]\Z")
    rng = random.Random(5)
    alphabet = [*"ab _%{}\t\n\x7f", "\ue001", "\ufffe", "\ud800", "ä"]
    for _ in range(3000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
        assert _unsafe(value) == bool(anchored.search(value)), repr(value)


def test_the_batched_unsafe_test_is_the_test_of_each_string_for_every_character() -> None:
    from letterkit.render.docx_skeleton import _any_unsafe, _unsafe

    for code in (*range(0x10000), *range(0x10000, 0x110000, 97)):
        values = ["\u00a0ab", f"c{chr(code)}\u202fd"]
        assert _any_unsafe(values) == any(map(_unsafe, values)), hex(code)


def test_the_batched_unsafe_test_is_the_test_of_each_string() -> None:
    from letterkit.render.docx_skeleton import _any_unsafe, _unsafe

    rng = random.Random(11)
    alphabet = [*"ab _%{}\t\n\x7f\x1f\x1e\x00", "\ue001", "\ue003", "\ue004", "\ufffe", "\uffff", "\ud800", "ä"]
    alphabet += ["\u00a0", "\u202f", "\u00ad", "\u2011", "€"]  # spaces and signs of amounts, dates, references
    for _ in range(3000):
        values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 5))]
        assert _any_unsafe(values) == any(map(_unsafe, values)), repr(values)
