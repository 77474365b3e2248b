"""Acceptance round 20, outside tester: titles as a CRM exports them, --check's warnings,
line breaks inside dates and references, and clearer messages (template, du, size)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import docx
import pytest

import letterkit
from letterkit.errors import InputError, SourceError, TemplateError
from tests.conftest import BASE


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as error:
        letterkit.validate(data)
    return [str(p) for p in error.value.problems]


# - A draft over the limit was said to hold "10 million" characters, as many as allowed.


@pytest.mark.parametrize(
    ("size", "said"), [(11_100_000, "11.1 million"), (10_000_001, "10,000,001"), (50_000_000, "50 million")]
)
def test_a_draft_over_the_limit_is_given_its_real_size(size: int, said: str) -> None:
    with pytest.raises(SourceError) as error:
        letterkit.lint("a" * size, lang="en")
    assert f"holds {said} characters of text; letterkit lints drafts of up to 10 million" in str(error.value)


# - Template errors: an unclosed {% if %} was reported in the paragraph where Jinja noticed
#   (the last one), and a template with placeholders but no blocks "held none" of them.


def _template(tmp_path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "letterhead.docx"
    document.save(str(path))
    return path


def test_an_unclosed_tag_is_reported_where_it_opens(tmp_path: Path) -> None:
    path = _template(
        tmp_path, "{% if subject %}{{ subject }}", "{% for b in blocks %}{{ b.text }}{% endfor %}", "{{ closing }}"
    )
    with pytest.raises(TemplateError) as error:
        letterkit.render(letterkit.compose(copy.deepcopy(BASE)), "docx", template=path)
    message = str(error.value)
    assert "the tag '{% if subject %}' in the paragraph '{% if subject %}{{ subject }}' is never closed" in message
    assert "{% endif %}" in message and "closing" not in message.replace("close it", "")


def test_a_tag_left_open_inside_a_loop_is_named_with_the_end_tag_that_meets_it(tmp_path: Path) -> None:
    path = _template(
        tmp_path,
        "{% for line in signature %}{% if line %}{{ line }}{% endfor %}",
        "{% for b in blocks %}{{ b.text }}{% endfor %}",
    )
    with pytest.raises(TemplateError, match=r"the tag '\{% if line %\}' .* is still open at the \{% endfor %\}"):
        letterkit.render(letterkit.compose(copy.deepcopy(BASE)), "docx", template=path)


def test_a_template_without_blocks_is_told_what_is_missing(tmp_path: Path) -> None:
    path = _template(tmp_path, "{{ subject }}", "{{ salutation }}")
    with pytest.raises(TemplateError) as error:
        letterkit.render(letterkit.compose(copy.deepcopy(BASE)), "docx", template=path)
    message = str(error.value)
    assert "none of letterkit's placeholders" not in message
    assert "it uses {{ salutation }}, {{ subject }} but not blocks" in message
    assert "{%p for b in blocks %}" in message


# - register: du with recipient.name only: "first_name: required", without a word on name.


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Anna Schmidt", "first_name: Anna, last_name: Schmidt"),
        ("Schmidt, Anna", "first_name: Anna, last_name: Schmidt"),
        ("Dr. Anna Maria Schmidt", "title: Dr., first_name: Anna Maria, last_name: Schmidt"),
    ],
)
def test_du_with_a_whole_name_suggests_the_split(name: str, split: str) -> None:
    data = copy.deepcopy(BASE)
    data["register"] = "du"
    data["recipient"] = {"name": name, "street": "Nebenweg 2", "postal_code": "80331", "city": "München"}
    (problem,) = _problems(data)
    assert "recipient.first_name: required for register: du" in problem
    assert f"recipient.name '{name}' holds the whole name: give it as {split} (in place of name)" in problem
