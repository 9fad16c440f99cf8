"""Reading NumPy ``.npz`` archives without trusting them.

:func:`read_npz` knows beforehand which arrays an archive may hold and how large each may
be. It refuses an archive whose members declare more bytes than that before decompressing
anything (a small file that inflates to gigabytes is rejected in microseconds), checks each
array's header (dtype, shape, no pickled objects) against what is expected, and then reads
exactly the bytes the header promises. Every refusal is an :class:`ArchiveError` whose
message says what was wrong.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from numpy.lib import format as npy

HEADER_LIMIT = 16 * 1024  # bytes an .npy header may take (NumPy itself writes a few hundred)
ZIP_OVERHEAD = 64 * 1024  # bytes of zip headers and directory an archive may add


class ArchiveError(ValueError):
    """An archive is not what it should be; the message says what is wrong."""


@dataclass(frozen=True)
class Member:
    """What one array of an archive may be.

    ``dtype`` is exact, or a kind letter (``"U"``: text of any length). In ``shape``,
    ``None`` is any length along that axis. ``max_bytes`` bounds the array's data.
    """

    dtype: np.dtype | str
    shape: tuple[int | None, ...]
    max_bytes: int
    required: bool = True

    def limit(self) -> int:
        """The most bytes this member may declare, header included."""
        if all(n is not None for n in self.shape) and isinstance(self.dtype, np.dtype):
            exact = int(np.prod(self.shape, dtype=np.int64)) * self.dtype.itemsize
            return min(exact, self.max_bytes) + HEADER_LIMIT
        return self.max_bytes + HEADER_LIMIT

    def problem(self, dtype: np.dtype, shape: tuple[int, ...]) -> str | None:
        """Why an array of this dtype and shape does not fit, or None."""
        if dtype.hasobject:
            return "holds Python objects"
        if isinstance(self.dtype, np.dtype):
            if dtype != self.dtype:
                return f"has type {dtype.str}, expected {self.dtype.str}"
        elif dtype.kind != self.dtype:
            return f"has type {dtype.str}, expected kind {self.dtype!r}"
        if dtype.itemsize == 0:
            return "has an empty type"
        if len(shape) != len(self.shape) or any(
            want is not None and got != want for got, want in zip(shape, self.shape, strict=True)
        ):
            wanted = tuple("any" if n is None else n for n in self.shape)
            return f"has shape {shape}, expected {wanted}"
        if int(np.prod(shape, dtype=np.int64)) * dtype.itemsize > self.max_bytes:
            return f"is larger than {self.max_bytes} bytes"
        return None


def archive_limit(members: Mapping[str, Member]) -> int:
    """The most bytes an archive of these members may take on disk or once expanded."""
    return sum(member.limit() for member in members.values()) + ZIP_OVERHEAD


def read_npz(
    file: BinaryIO, members: Mapping[str, Member], *, skip_unknown: bool = False
) -> dict[str, np.ndarray]:
    """The arrays of the ``.npz`` archive ``file``, each checked against ``members``.

    Raises :class:`ArchiveError` for anything unexpected: not a zip archive, an unknown
    array (unless ``skip_unknown``: then it is left unread), a missing or repeated one, a
    member declaring more bytes than allowed (checked before any decompression), an array
    of the wrong type or shape, or data that does not match its header.
    """
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(f"not a NumPy archive ({exc})") from exc
    with archive:
        infos = _checked_directory(archive, members, skip_unknown)
        arrays: dict[str, np.ndarray] = {}
        for name, info in infos.items():
            try:
                arrays[name] = _read_member(archive, info, members[name], name)
            except ArchiveError:
                raise
            except Exception as exc:  # zlib, struct and zipfile errors alike: unreadable
                raise ArchiveError(f"'{name}' cannot be read ({exc})") from exc
    return arrays


def _checked_directory(
    archive: zipfile.ZipFile, members: Mapping[str, Member], skip_unknown: bool
) -> dict[str, zipfile.ZipInfo]:
    """The archive's members by array name, refused if any declares too much."""
    infos: dict[str, zipfile.ZipInfo] = {}
    declared = 0
    for info in archive.infolist():
        name = info.filename.removesuffix(".npy")
        if name not in members or not info.filename.endswith(".npy"):
            if skip_unknown:
                continue
            raise ArchiveError(f"unexpected member '{info.filename}'")
        if name in infos:
            raise ArchiveError(f"'{name}' appears twice")
        if info.flag_bits & 0x1:
            raise ArchiveError(f"'{name}' is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveError(f"'{name}' uses an unsupported compression")
        limit = members[name].limit()
        if info.file_size > limit:
            raise ArchiveError(
                f"'{name}' declares {info.file_size} bytes uncompressed, "
                f"more than the {limit} it can hold; not decompressed"
            )
        declared += info.file_size
        infos[name] = info
    missing = [name for name, member in members.items() if member.required and name not in infos]
    if missing:
        raise ArchiveError(f"missing {', '.join(repr(name) for name in missing)}")
    if declared > archive_limit(members):
        raise ArchiveError(f"declares {declared} bytes uncompressed in all; not decompressed")
    return infos


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: Member, name: str
) -> np.ndarray:
    with archive.open(info) as stream:
        version = npy.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = npy.read_array_header_1_0(stream, max_header_size=HEADER_LIMIT)
        elif version == (2, 0):
            shape, fortran, dtype = npy.read_array_header_2_0(stream, max_header_size=HEADER_LIMIT)
        else:
            raise ArchiveError(f"'{name}' has an unsupported array format {version}")
        problem = member.problem(dtype, shape)
        if problem:
            raise ArchiveError(f"'{name}' {problem}")
        count = int(np.prod(shape, dtype=np.int64))
        size = count * dtype.itemsize
        if stream.tell() + size != info.file_size:
            raise ArchiveError(f"'{name}' holds {info.file_size} bytes, its header says otherwise")
        buffer = bytearray(size)
        view = memoryview(buffer)
        done = 0
        while done < size:
            got = stream.readinto(view[done:])
            if not got:
                raise ArchiveError(f"'{name}' ends early")
            done += got
        if stream.read(1):
            raise ArchiveError(f"'{name}' is longer than its header says")
    array = np.frombuffer(buffer, dtype=dtype, count=count)
    if fortran:
        return array.reshape(shape[::-1]).transpose()
    return array.reshape(shape)


def write_npz(arrays: Mapping[str, np.ndarray]) -> bytes:
    """A compressed ``.npz`` archive of ``arrays``, as bytes (no pickled objects)."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()
