"""`letterkit --help` cold start, side by side with what an eager-import CLI would cost."""

from __future__ import annotations

from _timing import PYTHON, report, time_command


def main() -> None:
    rows = [
        ("python -c pass (interpreter floor)", time_command([PYTHON, "-c", "pass"])),
        ("letterkit --help", time_command([PYTHON, "-m", "letterkit", "--help"])),
        ("letterkit --version", time_command([PYTHON, "-m", "letterkit", "--version"])),
        (
            "naive: eager import of docxtpl, docx, babel, yaml + click",
            time_command([PYTHON, "-c", "import click, yaml, docx, docxtpl, babel.dates, babel.numbers"]),
        ),
    ]
    report(rows)


if __name__ == "__main__":
    main()
