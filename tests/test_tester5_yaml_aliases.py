"""A YAML input whose aliases nest (the "billion laughs" shape) is read without walking
every copy: each aliased node is checked once.

Found with a --base file of seven nested aliases (9^7 list items when expanded): `letterkit
generate` and `merge --base` took about 15 s and 1.6 GB of memory (the line of every
expanded item was recorded), and a YAML client list of the same shape took 17 s; one level
more would take a hundred times that, or the machine's memory. The input is refused all
the same for what it says (an unknown key, a list of lists where reasons are codes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from letterkit.errors import LetterkitError
from letterkit.merge.records import yaml_records
from letterkit.sources import parse_yaml


def laughs(levels: int, indent: str = "") -> str:
    """Nested anchors and aliases: level n is nine aliases of level n-1."""
    lines = [f'{indent}l0: &l0 ["x","x","x","x","x","x","x","x","x"]']
    for n in range(1, levels):
        lines.append(f"{indent}l{n}: &l{n} [" + ",".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def counted(monkeypatch, module: object, name: str, limit: int = 10_000) -> None:
    """Fail the test once the recursive function ``module.name`` is called more than
    ``limit`` times: it is walking the expanded copies of the aliases."""
    real = getattr(module, name)
    calls = {"n": 0}

    def call(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] > limit:
            pytest.fail(f"{name} called more than {limit} times: the aliases were expanded")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, call)


def test_the_lines_of_an_aliased_node_are_recorded_once(monkeypatch) -> None:
    import letterkit.sources as sources

    counted(monkeypatch, sources, "_walk", limit=1_000)
    data, lines = parse_yaml(laughs(4) + "locale: de-DE\n", "base.yaml")  # 9^4 items expanded
    assert data["locale"] == "de-DE" and lines["locale"] == 5
    assert lines["l0[0]"] == 1 and lines["l2"] == 3  # the node where it stands keeps its lines


def test_keys_given_twice_are_still_found_in_an_aliased_mapping() -> None:
    text = "a: &a {x: 1, x: 2}\nb: *a\n"
    with pytest.raises(LetterkitError, match="appears twice"):
        parse_yaml(text, "base.yaml")


def test_a_client_list_of_nested_aliases_is_read_without_expanding_them(tmp_path: Path, monkeypatch) -> None:
    import importlib

    records = importlib.import_module("letterkit.merge.records")

    counted(monkeypatch, records, "_twice_within", limit=1_000)
    source = tmp_path / "rows.yaml"
    body = laughs(4, indent="    ")
    source.write_text("- locale: de-DE\n" + body.replace("    l0", "  l0", 1).replace("\n    ", "\n  "), "utf-8")
    [(number, record)] = list(yaml_records(source))
    assert number == 1 and record["locale"] == "de-DE"


def test_a_key_twice_inside_an_aliased_mapping_of_a_record_fails_its_row(tmp_path: Path) -> None:
    source = tmp_path / "rows.yaml"
    source.write_text("- locale: de-DE\n  a: &a {x: 1, x: 2}\n- locale: de-DE\n  b: *a\n", "utf-8")
    records = list(yaml_records(source))
    assert all("appears twice" in getattr(record, "error", "") for _, record in records)  # the alias too


def test_a_record_holding_nested_aliases_is_read_without_copying_them_out(monkeypatch, tmp_path: Path) -> None:
    """The row of such a record fails for its unknown keys at once: its marks for no
    value (NULL, NaN) were looked for in a copy of every expanded item first (a YAML list
    whose record held nine levels ran until stopped)."""
    import importlib

    from letterkit.merge import merge

    sources = importlib.import_module("letterkit.merge.sources")
    counted(monkeypatch, sources, "_without_nulls", limit=1_000)
    source = tmp_path / "rows.yaml"
    body = laughs(4, indent="    ")
    source.write_text("- locale: de-DE\n" + body.replace("    l0", "  l0", 1).replace("\n    ", "\n  "), "utf-8")
    report = merge(source, out_dir=tmp_path / "out", check=True)
    [result] = report.results
    assert result.status == "failed" and any("l3: unknown key" in problem for problem in result.problems)


def test_a_value_a_record_holds_twice_is_read_in_both_places(tmp_path: Path) -> None:
    from letterkit.merge import merge

    source = tmp_path / "rows.yaml"
    source.write_text(
        "- locale: de-DE\n  end_date: 2026-12-31\n  reasons: &r [capacity, \"NULL\"]\n"
        "  recipient: {last_name: Adler}\n  sender: {name: Erika Muster}\n"
        "- locale: de-DE\n  end_date: 2026-12-31\n  reasons: *r\n"
        "  recipient: {last_name: Berg}\n  sender: {name: Erika Muster}\n",
        "utf-8",
    )
    report = merge(source, out_dir=tmp_path / "out", fmt="txt")
    assert report.count("written") == 2
    texts = [(tmp_path / "out" / r.file).read_text("utf-8") for r in report.results]
    assert all("ausgelastet" in text for text in texts)  # the reason of capacity, in both
    assert all(any("NULL" in problem for problem in r.problems) for r in report.results)


def test_an_input_whose_aliases_hold_too_many_values_is_refused(tmp_path: Path) -> None:
    """Nine levels (9^9 values written out) in a --base or input file: refused at once
    with what to do, before any reader of the values goes through them (a message that
    quoted `channel: *l8` with str() ran until it was stopped)."""
    from click.testing import CliRunner

    from letterkit.cli import main

    source = tmp_path / "input.yaml"
    source.write_text(
        laughs(9) + "locale: de-DE\nsender: {name: S}\nrecipient: {last_name: A}\nend_date: 2026-12-31\n"
        "channel: *l8\n",
        "utf-8",
    )
    with pytest.raises(LetterkitError, match="aliases"):
        parse_yaml(source.read_text("utf-8"), "input.yaml")
    result = CliRunner().invoke(main, ["generate", str(source)])
    assert result.exit_code == 1 and "fewer aliases" in result.output


def test_a_record_whose_aliases_hold_too_many_values_fails_its_row_only(tmp_path: Path) -> None:
    from letterkit.merge import merge

    source = tmp_path / "rows.yaml"
    body = laughs(9, indent="    ").replace("    l0", "  l0", 1).replace("\n    ", "\n  ")
    source.write_text(
        "- locale: de-DE\n" + body + "- {locale: de-DE, end_date: 2026-12-31, recipient: {last_name: Berg},"
        " sender: {name: Erika Muster}}\n",
        "utf-8",
    )
    report = merge(source, out_dir=tmp_path / "out", fmt="txt")
    first, second = report.results
    assert first.status == "failed" and "fewer aliases" in " ".join(first.problems)
    assert second.status == "written"


def test_aliases_that_share_a_few_values_are_read_as_before() -> None:
    text = (
        "locale: de-DE\nsender: &me {name: Erika Muster, email: erika@example.de}\n"
        "recipient: {last_name: Berg}\nend_date: 2026-12-31\nhandover: {contact: *me}\n"
    )
    data, lines = parse_yaml(text, "input.yaml")
    assert data["handover"]["contact"] == data["sender"] and lines["handover.contact"] == 5
