"""The wheel carries the templates, and an installed letterkit finds them from any folder."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (found,) = out.glob("letterkit-*.whl")
    return found


def test_wheel_contains_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("de", "en"):
        for name in ("parts.yaml", "locale.yaml", "starter.yaml", "letter.docx"):
            assert f"letterkit/templates/{lang}/{name}" in names
    assert "letterkit/templates/en/letter-us.docx" in names  # en-US letters: US Letter paper
    assert "letterkit/templates/layout/letter.html" in names
    assert "letterkit/py.typed" in names  # type checkers read the API's hints (PEP 561)
    assert "letterkit/cli.py" in names


def test_installed_wheel_generates_from_another_folder(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig;print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)  # a wheel is a zip laid out for site-packages
    sample = ROOT / "samples" / "de-DE-wartungsvertrag.yaml"
    result = subprocess.run(
        [str(python), "-m", "letterkit", "generate", str(sample)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Mit freundlichen Grüßen" in result.stdout
    where = subprocess.run(
        [str(python), "-c", "import letterkit.resources as r;print(r.templates_dir())"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(Path(site)) in where
