"""shiftplan outputs: roster frames first (pure), then writers (CSV now; workbook and ICS next)."""

from outputs.files import versioned_path, write_atomic
from outputs.roster_frame import roster_segments
from outputs.safety import safe_text

__all__ = ["roster_segments", "safe_text", "versioned_path", "write_atomic"]
