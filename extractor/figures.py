"""Public home of the figure engine: ``find_figures``, ``locate``, ``nearest`` (see :mod:`extractor.core.figures`)."""

from __future__ import annotations

from extractor.core.figures import REL_TOL, Figure, find_figures, locate, nearest

__all__ = ["Figure", "find_figures", "locate", "nearest", "REL_TOL"]
