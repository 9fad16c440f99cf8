"""Many rigid shapes drawn as one mesh item, posed on the CPU every frame.

Each pyqtgraph item costs a fixed amount of Python and OpenGL bookkeeping per frame, so a
scene of a hundred props (or two articulated actors with their onion skins) drawn one item
per shape spends its frame time on bookkeeping. :class:`PosedShapes` keeps every shape's
vertices and normals in its own frame, and on :meth:`PosedShapes.pose` transforms them all
at once with NumPy and uploads the result: one draw call whatever the number of shapes.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl
from pyqtgraph.opengl.items.GLMeshItem import DirtyFlag


class PosedShapes(gl.GLMeshItem):
    """Shapes (vertices, faces, RGBA) in their own frames, drawn at 4x4 poses."""

    def __init__(self, shapes, shader, gl_options: dict) -> None:
        vertices, normals, faces, colours, owner = [], [], [], [], []
        offset = 0
        for index, (v, f, rgba) in enumerate(shapes):
            v = np.asarray(v, dtype=np.float32)
            f = np.asarray(f, dtype=np.uint32)
            vertices.append(v)
            normals.append(gl.MeshData(vertexes=v, faces=f).vertexNormals().astype(np.float32))
            faces.append(f + offset)
            colours.append(np.tile(np.asarray(rgba, dtype=np.float32), (len(v), 1)))
            owner.append(np.full(len(v), index))
            offset += len(v)
        self.count = len(shapes)
        empty = np.zeros((0, 3), np.float32)
        self._local = np.vstack(vertices) if vertices else empty
        self._local_normals = np.vstack(normals) if normals else empty
        self._shape_of_vertex = np.concatenate(owner) if owner else np.zeros(0, int)
        self._posed: tuple[np.ndarray, np.ndarray] | None = None
        data = gl.MeshData(
            vertexes=self._local,
            faces=np.vstack(faces) if faces else np.zeros((0, 3), np.uint32),
            vertexColors=np.vstack(colours) if colours else np.zeros((0, 4), np.float32),
        )
        super().__init__(meshdata=data, shader=shader, smooth=True, glOptions=gl_options)

    def pose(self, matrices: np.ndarray) -> None:
        """Place every shape: ``matrices`` (N, 4, 4); a zero matrix hides that shape."""
        matrices = np.asarray(matrices, dtype=np.float32)
        per_vertex = matrices[self._shape_of_vertex]
        rotation, shift = per_vertex[:, :3, :3], per_vertex[:, :3, 3]
        vertices = np.einsum("nij,nj->ni", rotation, self._local) + shift
        normals = np.einsum("nij,nj->ni", rotation, self._local_normals)
        self._posed = (
            np.ascontiguousarray(vertices, dtype=np.float32),
            np.ascontiguousarray(normals, dtype=np.float32),
        )
        self.update()

    def parseMeshData(self) -> DirtyFlag:
        dirty = super().parseMeshData()
        if self._posed is not None:
            self.vertexes, self.normals = self._posed
            self._posed = None
            dirty |= DirtyFlag.POSITION | DirtyFlag.NORMAL
        return dirty
