"""Looks at an X server from outside any application, through Xlib (ctypes): which top-level
windows other processes have mapped, with their titles and geometry, and the pixels the
server shows.

Used to see the bundled app's window the way a window manager and a screenshot tool do.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Window:
    title: str
    x: int
    y: int
    width: int
    height: int
    viewable: bool


class _Attributes(ctypes.Structure):
    _fields_ = [  # XWindowAttributes
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("border_width", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p),
        ("root", ctypes.c_ulong),
        ("c_class", ctypes.c_int),
        ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int),
        ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int),
        ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long),
        ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int),
        ("screen", ctypes.c_void_p),
    ]


IS_VIEWABLE = 2
Z_PIXMAP = 2
ALL_PLANES = 0xFFFFFFFFFFFFFFFF


class _Image(ctypes.Structure):
    _fields_ = [  # the leading fields of XImage
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.POINTER(ctypes.c_ubyte)),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
        ("red_mask", ctypes.c_ulong),
        ("green_mask", ctypes.c_ulong),
        ("blue_mask", ctypes.c_ulong),
    ]


def _xlib():
    name = ctypes.util.find_library("X11") or "libX11.so.6"
    lib = ctypes.CDLL(name)
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XDefaultRootWindow.restype = ctypes.c_ulong
    lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    lib.XQueryTree.argtypes = [
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
        ctypes.POINTER(ctypes.c_uint),
    ]
    lib.XFetchName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_char_p)]
    lib.XGetWindowAttributes.argtypes = [
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.POINTER(_Attributes),
    ]
    lib.XInternAtom.restype = ctypes.c_ulong
    lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    lib.XGetWindowProperty.argtypes = [
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.c_ulong,
        ctypes.c_long,
        ctypes.c_long,
        ctypes.c_int,
        ctypes.c_ulong,
        ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte)),
    ]
    lib.XGetImage.restype = ctypes.POINTER(_Image)
    lib.XGetImage.argtypes = [
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_ulong,
        ctypes.c_int,
    ]
    lib.XFree.argtypes = [ctypes.c_void_p]
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    return lib


def _title(lib, connection, window: int) -> str | None:
    """The window's UTF-8 title (``_NET_WM_NAME``), else its Latin-1 ``WM_NAME``."""
    net_wm_name = lib.XInternAtom(connection, b"_NET_WM_NAME", 1)
    utf8 = lib.XInternAtom(connection, b"UTF8_STRING", 1)
    if net_wm_name and utf8:
        actual_type, actual_format = ctypes.c_ulong(), ctypes.c_int()
        items, remaining = ctypes.c_ulong(), ctypes.c_ulong()
        data = ctypes.POINTER(ctypes.c_ubyte)()
        status = lib.XGetWindowProperty(
            connection,
            window,
            net_wm_name,
            0,
            1024,
            0,
            utf8,
            ctypes.byref(actual_type),
            ctypes.byref(actual_format),
            ctypes.byref(items),
            ctypes.byref(remaining),
            ctypes.byref(data),
        )
        if status == 0 and data:
            try:
                if items.value:
                    return ctypes.string_at(data, items.value).decode("utf-8", "replace")
            finally:
                lib.XFree(data)
    name = ctypes.c_char_p()
    if lib.XFetchName(connection, window, ctypes.byref(name)) and name.value:
        title = name.value.decode("latin-1")
        lib.XFree(name)
        return title
    return None


def top_level_windows(display: str) -> list[Window]:
    """Every child of the root window on ``display`` that has a title."""
    lib = _xlib()
    connection = lib.XOpenDisplay(display.encode())
    if not connection:
        raise RuntimeError(f"cannot open X display {display}")
    try:
        root = lib.XDefaultRootWindow(connection)
        root_out, parent = ctypes.c_ulong(), ctypes.c_ulong()
        children = ctypes.POINTER(ctypes.c_ulong)()
        count = ctypes.c_uint()
        lib.XQueryTree(
            connection,
            root,
            ctypes.byref(root_out),
            ctypes.byref(parent),
            ctypes.byref(children),
            ctypes.byref(count),
        )
        windows = []
        for index in range(count.value):
            window = children[index]
            title = _title(lib, connection, window)
            if not title:
                continue
            attributes = _Attributes()
            lib.XGetWindowAttributes(connection, window, ctypes.byref(attributes))
            windows.append(
                Window(
                    title,
                    attributes.x,
                    attributes.y,
                    attributes.width,
                    attributes.height,
                    attributes.map_state == IS_VIEWABLE,
                )
            )
        if children:
            lib.XFree(children)
        return windows
    finally:
        lib.XCloseDisplay(connection)


def screenshot(display: str, x: int, y: int, width: int, height: int) -> np.ndarray:
    """The pixels the X server shows in a rectangle of the screen, as RGB (height, width, 3).

    Handles the 32-bit pixels of a 24-bit display (the depth of real desktops).
    """
    lib = _xlib()
    connection = lib.XOpenDisplay(display.encode())
    if not connection:
        raise RuntimeError(f"cannot open X display {display}")
    try:
        root = lib.XDefaultRootWindow(connection)
        image = lib.XGetImage(connection, root, x, y, width, height, ALL_PLANES, Z_PIXMAP)
        if not image:
            raise RuntimeError("XGetImage failed")
        info = image.contents
        if info.bits_per_pixel != 32:
            raise RuntimeError(f"{info.bits_per_pixel}-bit pixels: use a 24-bit display")
        raw = np.ctypeslib.as_array(info.data, shape=(info.height * info.bytes_per_line,))
        words = raw.view(np.uint32).reshape(info.height, info.bytes_per_line // 4)[:, :width]
        channels = []
        for mask in (info.red_mask, info.green_mask, info.blue_mask):
            shift = (mask & -mask).bit_length() - 1
            channels.append(((words & mask) >> shift).astype(np.uint8))
        pixels = np.stack(channels, axis=-1).copy()
        lib.XFree(info.data)
        lib.XFree(image)
        return pixels
    finally:
        lib.XCloseDisplay(connection)
