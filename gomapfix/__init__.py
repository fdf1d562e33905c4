"""gomapfix: find unsafe Go map patterns and rewrite them into reviewable patches."""

from __future__ import annotations

__version__ = "0.1.0"
