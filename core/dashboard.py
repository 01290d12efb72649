"""A dashboard section: what an app's dashboard provider returns (portal/dashboard.py collects them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
