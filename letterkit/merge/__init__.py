"""Mail merge: many letters or emails from a client list, from Python or ``letterkit merge``.

``merge(rows, base=..., out_dir=..., fmt=...)`` is the loop; it never prints and
returns a MergeReport with every row's outcome.
"""

from __future__ import annotations

from .report import MergeReport
from .results import RowResult
from .run import merge
from .sources import Row, read_rows

__all__ = ["MergeReport", "Row", "RowResult", "merge", "read_rows"]
