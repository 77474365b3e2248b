"""A merge runs with fewer passes of the cyclic collector, and leaves its thresholds as
they were (merge/collector.py)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from test_merge import BASE, HEADER, ROWS, write_csv

from letterkit.errors import LetterkitError
from letterkit.merge import merge
from letterkit.merge.collector import YOUNGEST, collecting_less


@pytest.fixture
def thresholds():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_a_merge_collects_less_often_and_puts_the_thresholds_back(tmp_path: Path, thresholds):
    seen: list[tuple[int, int, int]] = []
    report = merge(
        write_csv(tmp_path, [HEADER, *ROWS]),
        base=BASE,
        out_dir=tmp_path / "out",
        fmt="txt",
        jobs=1,
        progress=lambda done, total: seen.append(gc.get_threshold()),
    )
    assert report.ok and seen
    assert set(seen) == {(YOUNGEST, 10, 10)}
    assert gc.get_threshold() == (700, 10, 10)


def test_the_thresholds_come_back_when_the_merge_fails(tmp_path: Path, thresholds):
    with pytest.raises(LetterkitError):
        merge(write_csv(tmp_path, [HEADER, *ROWS]), base=BASE, out_dir=tmp_path / "out", fmt="nope")
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_threshold_and_a_paused_collector_are_left_alone(thresholds):
    inside: list[tuple[int, int, int]] = []
    collecting_less(lambda: inside.append(gc.get_threshold()))()
    gc.set_threshold(50_000, 5, 5)
    collecting_less(lambda: inside.append(gc.get_threshold()))()
    gc.set_threshold(0, 10, 10)  # no automatic passes at all: stays so
    collecting_less(lambda: inside.append(gc.get_threshold()))()
    assert inside == [(YOUNGEST, 10, 10), (50_000, 5, 5), (0, 10, 10)]
    assert gc.get_threshold() == (0, 10, 10)
