"""One problem found in a graph: the node (and edge) at fault, what is wrong, and how to fix it.

Its own module so that the checks that find problems (infer.py's shape checks, memory.py's
"will it fit") both build issues without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studio.core.graph.fixes import Fix
from studio.core.graph.model import Edge


@dataclass
class GraphIssue:
    """One problem: which node (and edge), what is wrong, and how to fix it."""

    node: str | None
    edge: Edge | None
    message: str
    fix: Fix | None = None
    severity: str = "error"
    advice: str | None = None
    """What to do when no single edit fixes it (a model too big for this machine): text, no button."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "edge": self.edge.label() if self.edge else None,
            "message": self.message,
            "fix": self.fix.description if self.fix else self.advice,
            "fix_action": self.fix.to_dict() if self.fix else None,
            "severity": self.severity,
        }

    def one_line(self) -> str:
        fix = self.fix.description if self.fix else self.advice
        return self.message + (f": {fix}" if fix else "")
