"""``--rate nan`` (or ``inf``) is refused as a usage error, as ``--rate 0`` is: click's
range check lets them through, and the send then went out at full speed without a word,
the rate asked for not applied (tester10). ``SendOptions`` refuses them from Python too."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from letterkit.cli import main
from letterkit.errors import LetterkitError
from letterkit.merge.send import SendOptions


@pytest.mark.parametrize("rate", ["nan", "inf", "NaN", "-inf"])
def test_a_rate_that_is_no_number_is_refused_before_the_merge(rate: str, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("locale,recipient.company\nde-DE,A GmbH\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["merge", str(rows), "-o", str(tmp_path / "out"), "--format", "eml", "--send", "--rate", rate]
    )
    assert result.exit_code == 2, result.output
    assert "--rate" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("rate", [float("nan"), float("inf"), 0.0, -3.0])
def test_send_options_refuse_a_rate_that_is_no_rate(rate: float) -> None:
    with pytest.raises(LetterkitError, match="rate"):
        SendOptions(dry_run=False, rate=rate)


def test_send_options_keep_a_rate() -> None:
    assert SendOptions(rate=0.5).rate == 0.5
    assert SendOptions().rate is None
