"""A minimal glTF 2.0 document builder: JSON objects plus one binary buffer, saved as ``.glb``.

Arrays go into the binary buffer, each in its own 4-byte-aligned buffer view, with an accessor
that states its component type, element type and count (and ``min``/``max`` where the
specification requires them, e.g. for positions and animation times). :meth:`GltfBuilder.glb`
packs the document as a binary glTF: a 12-byte header, a JSON chunk padded with spaces and a
BIN chunk padded with zeros (glTF 2.0 specification, section 4.4).
"""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np

ARRAY_BUFFER = 34962  # bufferView target: vertex attributes
ELEMENT_ARRAY_BUFFER = 34963  # bufferView target: indices
_COMPONENT = {
    np.dtype(np.float32): 5126,
    np.dtype(np.uint8): 5121,
    np.dtype(np.uint16): 5123,
    np.dtype(np.uint32): 5125,
}
_TYPE = {1: "SCALAR", 2: "VEC2", 3: "VEC3", 4: "VEC4", 16: "MAT4"}
_GLB_MAGIC, _JSON_CHUNK, _BIN_CHUNK = 0x46546C67, 0x4E4F534A, 0x004E4942


class GltfBuilder:
    """Collects glTF objects by kind ("nodes", "meshes", ...) and the binary data they use."""

    def __init__(self, generator: str, extras: dict[str, Any] | None = None) -> None:
        self.document: dict[str, Any] = {"asset": {"version": "2.0", "generator": generator}}
        if extras:
            self.document["asset"]["extras"] = extras
        self._binary = bytearray()

    def add(self, kind: str, item: dict[str, Any]) -> int:
        """Append an object to the top-level list ``kind``; returns its index."""
        items = self.document.setdefault(kind, [])
        items.append(item)
        return len(items) - 1

    def accessor(
        self, array: np.ndarray, *, target: int | None = None, bounds: bool = False
    ) -> int:
        """An accessor over ``array`` (N elements of 1-4 components, or N 4x4 matrices).

        Matrices (N, 4, 4) are written column-major, as glTF requires. ``bounds`` adds the
        per-component ``min`` and ``max``.
        """
        array = np.asarray(array)
        if array.ndim == 3:  # (N, 4, 4) matrices, stored column by column
            array = np.transpose(array, (0, 2, 1)).reshape(len(array), 16)
        elif array.ndim == 1:
            array = array.reshape(-1, 1)
        array = np.ascontiguousarray(array)
        accessor: dict[str, Any] = {
            "bufferView": self._view(array.tobytes(), target),
            "componentType": _COMPONENT[array.dtype],
            "count": len(array),
            "type": _TYPE[array.shape[1]],
        }
        if bounds:
            accessor["min"] = [_number(v) for v in array.min(axis=0)]
            accessor["max"] = [_number(v) for v in array.max(axis=0)]
        return self.add("accessors", accessor)

    def glb(self) -> bytes:
        """The document as one binary glTF file."""
        document = dict(self.document)
        if self._binary:
            document["buffers"] = [{"byteLength": len(self._binary)}]
        text = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        text += b" " * (-len(text) % 4)
        binary = bytes(self._binary) + b"\0" * (-len(self._binary) % 4)
        chunks = struct.pack("<II", len(text), _JSON_CHUNK) + text
        if binary:
            chunks += struct.pack("<II", len(binary), _BIN_CHUNK) + binary
        return struct.pack("<III", _GLB_MAGIC, 2, 12 + len(chunks)) + chunks

    def _view(self, data: bytes, target: int | None) -> int:
        self._binary += b"\0" * (-len(self._binary) % 4)  # every view starts 4-byte aligned
        view: dict[str, Any] = {
            "buffer": 0,
            "byteOffset": len(self._binary),
            "byteLength": len(data),
        }
        if target is not None:
            view["target"] = target
        self._binary += data
        return self.add("bufferViews", view)


def _number(value: np.generic) -> float | int:
    return float(value) if np.issubdtype(type(value), np.floating) else int(value)
