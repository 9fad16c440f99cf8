"""What goes into a SEE-1 Previs bundle: the one list the Linux, Windows and macOS specs share.

PyInstaller follows imports from the entry point, but much of this application is reached
only at run time: MuJoCo picks its renderer from ``MUJOCO_GL``, PyOpenGL its platform from
``PYOPENGL_PLATFORM``, USD loads its schemas from ``plugInfo.json`` files, OpenTimelineIO its
adapters from a manifest, trimesh its optional helpers (rtree, manifold3d, networkx) inside
functions, and the GUI is opened by name. This module names all of that once, and names what
the bundle leaves out (Qt modules the app does not use, test suites, other Qt bindings).

Used from the spec files only (``from bundle_contents import ...``); it needs PyInstaller.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PyInstaller.utils.hooks import (
    collect_data_files,
    collect_dynamic_libs,
    collect_submodules,
    copy_metadata,
)

PACKAGING = Path(__file__).resolve().parent
REPO = PACKAGING.parent
APP = REPO / "app"
ENTRY_POINT = str(PACKAGING / "launcher.py")
NAME = "see1-previs"
ICON_PNG = REPO / "assets" / "icons" / "see1-previs.png"
ICON_ICO = REPO / "assets" / "icons" / "see1-previs.ico"
ICON_ICNS = REPO / "assets" / "icons" / "see1-previs.icns"
# The OpenTimelineIO plugin adapters the EDL and FCP XML exports use (distribution: module).
OTIO_ADAPTERS = {
    "otio-cmx3600-adapter": "otio_cmx3600_adapter",
    "otio-fcp-adapter": "otio_fcp_adapter",
}


def _not_a_test(name: str) -> bool:
    leaf = name.rsplit(".", 1)[-1]
    return not (
        leaf.endswith("_test") or leaf.startswith("test_") or leaf in {"tests", "test", "testing"}
    )


def hidden_imports() -> list[str]:
    """Modules no static import reaches, but the application loads at run time."""
    names = collect_submodules("see1previs")  # every layer, including ones added later (gui)
    names += RENDERER_MODULES[_platform()]
    names += [
        "mujoco.rendering.classic.gl_context",
        "mujoco.rendering.classic.renderer",
        "OpenGL.GL",
        # trimesh imports its optional helpers inside functions.
        "rtree",
        "manifold3d",
        "networkx",
        "scipy.spatial",
        "charset_normalizer",
        "coacd",
        # The GUI stack: Qt bindings, the 3D viewport and its OpenGL widget.
        "PySide6.QtCore",
        "PySide6.QtGui",
        "PySide6.QtWidgets",
        "PySide6.QtOpenGL",
        "PySide6.QtOpenGLWidgets",
        "pyqtgraph",
        "pyqtgraph.opengl",
    ]
    for module in USD_MODULES:  # each loads its compiled half (pxr.Tf._tf) by name
        names += collect_submodules(f"pxr.{module}")
    names += collect_submodules("opentimelineio", filter=_not_a_test)
    for adapter in OTIO_ADAPTERS.values():  # found through entry points, never imported by name
        names += collect_submodules(adapter)
    if _platform() == "linux":
        names += collect_submodules("OpenGL.EGL")
    names += collect_submodules("pyqtgraph.opengl")
    return names


def _platform() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


# MuJoCo's offscreen renderer per platform (``MUJOCO_GL``): EGL on Linux (headless, Mesa's
# llvmpipe where there is no GPU), a hidden GLFW window on Windows, CGL on macOS; and the
# PyOpenGL platform module each one drives.
RENDERER_MODULES = {
    "linux": [
        "mujoco.egl",
        "mujoco.egl.egl_ext",
        "OpenGL.platform.egl",
        "OpenGL.platform.glx",
        "OpenGL.EGL",
    ],
    "windows": ["mujoco.glfw", "glfw", "OpenGL.platform.win32", "OpenGL.WGL"],
    "macos": ["mujoco.cgl", "mujoco.cgl.cgl", "mujoco.glfw", "glfw", "OpenGL.platform.darwin"],
}
OTHER_RENDERERS = {
    "linux": ["glfw", "mujoco.glfw", "mujoco.cgl", "mujoco.osmesa"],
    "windows": ["mujoco.egl", "mujoco.cgl", "mujoco.osmesa"],
    "macos": ["mujoco.egl", "mujoco.osmesa"],
}


# The USD Python modules the exporters use (``from pxr import Gf, Sdf, Usd, UsdGeom, Vt``,
# ``UsdSkel`` for actors, ``UsdShade`` and ``UsdLux`` for looks) and the ones those load in
# turn (``Sdr``). The other schema modules (UsdPhysics, UsdVol, ...) are megabytes the exports
# never touch; the C++ library keeps every schema either way.
USD_MODULES = ["Ar", "Gf", "Kind", "Pcp", "Plug", "Sdf", "Tf", "Trace", "Ts", "Usd", "UsdGeom"]
USD_MODULES += ["Vt", "Work"]
USD_MODULES += ["Sdr", "UsdLux", "UsdShade", "UsdSkel"]


def _unused_usd_modules() -> list[str]:
    import pxr

    folder = Path(pxr.__file__).parent
    return [
        f"pxr.{entry.name}"
        for entry in sorted(folder.iterdir())
        if (entry / "__init__.py").exists() and entry.name not in USD_MODULES
    ]


def excludes() -> list[str]:
    """Modules the bundle leaves out."""
    return EXCLUDES + OTHER_RENDERERS[_platform()] + _unused_usd_modules()


def data_files() -> list[tuple[str, str]]:
    """(source, folder in the bundle) for assets, demo scenes, guides and libraries' data."""
    datas = [
        (str(REPO / "assets"), "assets"),
        (str(REPO / "scenes"), "scenes"),
        (str(REPO / "docs" / "images"), "docs/images"),
    ]
    # The guides Help opens (Markdown; not the scripts that generate parts of them).
    datas += [(str(page), "docs") for page in sorted((REPO / "docs").glob("*.md"))]
    datas += collect_data_files("see1previs")  # the camera and lens catalogue, and any new data
    datas += collect_data_files("pxr", includes=["**/plugInfo.json", "**/*.usda", "**/*.glslfx"])
    datas += collect_data_files("opentimelineio", includes=["**/*.json"])
    for distribution, adapter in OTIO_ADAPTERS.items():
        # plugin_manifest.json, and the adapter's source: OpenTimelineIO loads an adapter from
        # the file path its manifest names, not through the import system.
        datas += collect_data_files(
            adapter, include_py_files=True, includes=["**/*.json", "**/*.py"]
        )
        datas += copy_metadata(distribution)  # the entry point OpenTimelineIO finds it by
    datas += collect_data_files("trimesh")
    datas += collect_data_files("reportlab")
    return datas


def binary_files() -> list[tuple[str, str]]:
    """Shared libraries loaded with dlopen/ctypes rather than linked: PyInstaller misses them."""
    binaries = collect_dynamic_libs("mujoco")  # libmujoco and its plugin folder
    binaries += collect_dynamic_libs("coacd")  # lib_coacd.so, loaded through ctypes
    if _platform() != "linux":
        binaries += collect_dynamic_libs("glfw")  # the GLFW library for MuJoCo's hidden window
    return [(src, dest) for src, dest in binaries if "studio" not in src]


# Never wanted in the bundle: other Qt bindings, Qt modules the app does not use, test suites
# and developer tools. Each is tens of megabytes or pulls in more.
EXCLUDES = [
    "tkinter",
    "_tkinter",
    "PyQt5",
    "PyQt6",
    "PySide2",
    "matplotlib",
    "IPython",
    "jinja2",
    "pytest",
    "_pytest",
    "hypothesis",
    "pypdf",
    "ruff",
    "pytestqt",
    "pyvirtualdisplay",
    "xvfbwrapper",
    "lib2to3",
    "mujoco.viewer",
    "mujoco.studio",
    "mujoco.usd",
    "mujoco.mjx",
    "mujoco.sysid",
    "mujoco.rendering.filament",
    "mujoco._render_filament",
    "mujoco._simulate",
    "pxr.usdGenSchema",
    "pxr.usdInitSchema",
    "scipy.io.matlab.tests",
    "numpy.distutils",
    "pyqtgraph.examples",
    "pyqtgraph.jupyter",
    "OpenGL.Tk",
    "PySide6.QtQml",
    "PySide6.QtQmlModels",
    "PySide6.QtQmlWorkerScript",
    "PySide6.QtQuick",
    "PySide6.QtQuick3D",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickTest",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DExtras",
    "PySide6.Qt3DAnimation",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtLabsStyleKit",
    "PySide6.QtBluetooth",
    "PySide6.QtNetworkAuth",
    "PySide6.QtPositioning",
    "PySide6.QtLocation",
    "PySide6.QtSerialPort",
    "PySide6.QtSensors",
    "PySide6.QtTextToSpeech",
    "PySide6.QtRemoteObjects",
    "PySide6.QtScxml",
    "PySide6.QtStateMachine",
    "PySide6.QtConcurrent",
    "PySide6.QtXml",
    "PySide6.QtNetwork",
]

# Files dropped after analysis (matched against the path inside the bundle): Qt plugins and
# translations the application does not use, and libraries' test data.
# The app is English only and, on Linux, draws on X11 (XWayland on Wayland desktops): one
# platform plugin, xcb, with its GLX and EGL integrations. Wayland, framebuffer and VNC
# platforms, the GTK theme (it pulls in GTK's whole library stack), evdev input and the
# TLS/network plugins stay out. Paths are matched with "/" on every platform.
UNWANTED_IN_BUNDLE = (
    "PySide6/Qt/translations/",  # Linux and macOS wheels keep Qt under PySide6/Qt,
    "PySide6/translations/",  # Windows wheels directly under PySide6
    "PySide6/Qt/qml/",
    "PySide6/qml/",
    *(
        f"/plugins/{folder}"
        for folder in (
            "qmltooling",
            "sqldrivers",
            "designer",
            "multimedia",
            "sceneparsers",
            "renderers",
            "geometryloaders",
            "egldeviceintegrations",
            "generic",
            "networkinformation",
            "tls",
            "wayland-",
            "platformthemes/libqgtk3",
            "platforms/libqeglfs",
            "platforms/libqlinuxfb",
            "platforms/libqminimalegl",
            "platforms/libqvkkhrdisplay",
            "platforms/libqvnc",
            "platforms/libqwayland",
        )
    ),
    "libQt6WaylandClient.",
    "libQt6WlShellIntegration.",
    "libQt6EglFSDeviceIntegration.",
    "libQt6EglFsKmsSupport.",
    "/testdata/",
    "/tests/",
)

# Libraries found in the system's library folders are the machine's, not the bundle's: the
# graphics stack (X11, xcb, fonts, glib, D-Bus) must match the machine's OpenGL driver, which
# is loaded from the system too, and the C++ runtime must be at least as new as the one the
# driver needs. Only the libraries behind Python's own standard modules travel with it.
SYSTEM_LIBRARY_FOLDERS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/", "/usr/local/lib/")
BUNDLED_SYSTEM_LIBRARIES = (
    "libpython",
    "libffi.",
    "libssl.",
    "libcrypto.",
    "libz.",
    "libbz2.",
    "liblzma.",
    "libexpat.",
    "libmpdec.",
    "libsqlite3.",
    "libuuid.",
    "libreadline.",
    "libtinfo.",
)


def without_unwanted(toc):
    """A TOC list without the entries ``UNWANTED_IN_BUNDLE`` names."""
    return [
        entry
        for entry in toc
        if not any(part in entry[0].replace("\\", "/") for part in UNWANTED_IN_BUNDLE)
    ]


def is_system_library(entry) -> bool:
    """Whether a binary TOC entry is one of the machine's own libraries (left out)."""
    name, source = Path(entry[0]).name, str(entry[1])
    return source.startswith(SYSTEM_LIBRARY_FOLDERS) and not name.startswith(
        BUNDLED_SYSTEM_LIBRARIES
    )
