#!/usr/bin/env bash
# Install what the tests need, then run lint, type check and the test suite.
# System packages: LibreOffice (docx -> PDF in the tests), hunspell dictionaries
# (spell check of every template and sample letter), poppler (pdftotext/pdftoppm).
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages="libreoffice-writer-nogui hunspell hunspell-de-de hunspell-de-ch hunspell-en-gb hunspell-en-us poppler-utils fonts-liberation"
missing=""
for pkg in $apt_packages; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "Installing system packages:$missing"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e ".[dev]"
python3 -m ruff check letterkit tests scripts benchmarks
python3 -m mypy
python3 -m pytest -q
