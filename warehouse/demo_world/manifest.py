"""The ``manifest.json`` of a demo world: every planted truth, as plain JSON.

numpy values become plain Python ones, floats are rounded to 12 significant digits (non-finite ones become
``null``) and keys are sorted, so the manifest is byte-reproducible.  The truths themselves are gathered by
:func:`warehouse.demo_world.world.generate` from the modules that plant them.
"""

from __future__ import annotations

import json
import math
import pathlib
from typing import Any

import numpy as np

from warehouse.demo_world.writers import _Writer


def _round_sig(value: float, digits: int = 12) -> float:
    """Round a float to ``digits`` significant digits."""
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{digits}g}")


def _jsonable(obj: Any) -> Any:
    """Turn numpy types into plain Python ones and round floats to 12 significant digits."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.bool_ | bool):
        return bool(obj)
    if isinstance(obj, np.integer | int):
        return int(obj)
    if isinstance(obj, np.floating | float):
        value = float(obj)
        return None if not math.isfinite(value) else _round_sig(value)
    return obj


def _write_manifest(writer: _Writer, manifest: dict[str, Any]) -> pathlib.Path:
    text = json.dumps(_jsonable(manifest), sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False)
    writer.bytes("manifest.json", (text + "\n").encode("utf-8"))
    return writer.root / "manifest.json"
