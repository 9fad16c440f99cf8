"""Reads the X server's window list through Xlib (ctypes): which top-level windows another
process has mapped on the test display, with their titles and geometry.

Used to see the bundled app's window from outside the app, the way a window manager does.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from dataclasses import dataclass


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
