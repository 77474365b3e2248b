"""letterkit: polite, blame-free termination letters and emails in German and English.

The public API — ``compose``, ``render`` and friends — is re-exported here; the
heavy modules (python-docx, babel data) load only when a function needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"
