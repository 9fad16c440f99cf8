"""Builds the Linux installers of SEE-1 Previs: the bundle folder, a .tar.gz and a .deb.

    python packaging/build_linux.py [--out dist] [--work build/package]

1. PyInstaller turns ``packaging/see1previs.spec`` into a self-contained folder
   (``<work>/bundle/see1-previs/``) with the ``see1-previs`` executable.
2. The interpreter's debug symbols are stripped (only Python's own libraries: the wheels'
   libraries are patched by auditwheel and break when stripped).
3. Every library the bundle loads from the machine is found with ``ldd``; the Debian packages
   that provide them, plus the OpenGL/EGL driver, become the .deb's ``Depends``.
4. ``see1-previs-<version>-linux-<arch>.tar.gz``: the folder, ready to unpack anywhere.
5. ``see1-previs_<version>_<arch>.deb``: the folder in ``/opt/see1-previs``, the command
   ``/usr/bin/see1-previs``, a desktop entry and the icon.

Prints what it measured (build time, sizes) at the end. Run it with the Python of an
environment where SEE-1 Previs and PyInstaller are installed (``make package`` does).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
REPO = PACKAGING.parent
NAME = "see1-previs"
SPEC = PACKAGING / "see1previs.spec"
DESKTOP_ENTRY = PACKAGING / "linux" / f"{NAME}.desktop"
ICONS = REPO / "assets" / "icons"
INSTALL_FOLDER = Path("/opt") / NAME

# The machine's OpenGL/EGL driver: MuJoCo renders camera views through EGL, the GUI draws
# through GLX; software rendering (llvmpipe) comes with Mesa's DRI drivers.
GRAPHICS_DEPENDS = [
    "libegl1",
    "libgl1",
    "libegl-mesa0 | libegl-vendor",
    "libglx-mesa0 | libglx-vendor",
    "libgl1-mesa-dri",
]


# zstd is 15x faster to write than xz for a fifth more size; dpkg reads it from Debian 12 and
# Ubuntu 21.10 on. Build with xz for older releases.
DEB_COMPRESSION = {"zstd": ["-Zzstd", "-z9"], "xz": ["-Zxz", "-z6"], "gzip": ["-Zgzip", "-z6"]}


def version() -> str:
    text = (REPO / "app" / "see1previs" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE).group(1)


def debian_arch() -> str:
    machine = platform.machine()
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1e6:.0f} MB"


def run_pyinstaller(work: Path) -> Path:
    dist = work / "bundle"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work / "pyinstaller"),
            str(SPEC),
        ],
        check=True,
        cwd=REPO,
    )
    return dist / NAME


def strip_interpreter(bundle: Path) -> None:
    """Drop debug sections from the Python interpreter's own libraries."""
    strip = shutil.which("strip")
    if strip is None:
        print("build_linux: 'strip' not found (binutils); the bundle keeps debug symbols")
        return
    internal = bundle / "_internal"
    targets = list(internal.glob("libpython*.so*")) + list(internal.glob("python3*/lib-dynload/*"))
    files = [str(p) for p in targets if p.is_file() and not p.is_symlink()]
    if files:
        subprocess.run([strip, "--strip-debug", *files], check=True)


def _elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_libraries(bundle: Path) -> tuple[set[Path], list[str]]:
    """Libraries the bundle's own files link to outside the bundle, and any not found.

    ``ldd`` resolves the whole dependency tree; only the libraries a bundled file names itself
    (its ``NEEDED`` entries, read with ``objdump``) count, so the .deb depends on what the
    bundle uses and apt brings what those need in turn.
    """
    internal = bundle / "_internal"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LD_LIBRARY_PATH": str(internal)}
    resolved: dict[str, Path] = {}
    needed: set[str] = set()
    missing: list[str] = []
    objdump = shutil.which("objdump")
    for path in _elf_files(bundle):
        if objdump:
            dump = subprocess.run([objdump, "-p", str(path)], capture_output=True, text=True)
            needed.update(re.findall(r"^\s+NEEDED\s+(\S+)$", dump.stdout, re.MULTILINE))
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        for line in result.stdout.splitlines():
            if "=>" not in line:
                continue
            name, _, target = line.strip().partition(" => ")
            if target.startswith("not found"):
                missing.append(f"{path.relative_to(bundle)} needs {name}")
                continue
            target_path = Path(target.split(" (")[0].strip())
            if target_path.is_absolute() and bundle.resolve() not in target_path.resolve().parents:
                resolved[name] = target_path
    outside = {path for name, path in resolved.items() if not objdump or name in needed}
    return outside, missing


def debian_packages(libraries: set[Path]) -> list[str]:
    """The installed Debian packages that provide ``libraries``."""
    if not shutil.which("dpkg-query"):
        return []
    packages = set()
    for library in sorted(libraries):
        for candidate in {library, library.resolve()}:
            result = subprocess.run(
                ["dpkg-query", "-S", str(candidate)], capture_output=True, text=True
            )
            if result.returncode == 0:
                for line in result.stdout.splitlines():
                    package = line.split(":")[0].strip()
                    packages.add(package)
                break
    # The interpreter and libraries were linked against this machine's C library: no older.
    glibc = platform.libc_ver()[1]
    return [*sorted(packages - {"libc6", "libc-bin"}), f"libc6 (>= {glibc})" if glibc else "libc6"]


def write_tarball(bundle: Path, out: Path, stem: str) -> Path:
    tarball = out / f"{stem}.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=6) as archive:
        archive.add(bundle, arcname=stem, filter=_owned_by_root)
        for extra in (DESKTOP_ENTRY, ICONS / f"{NAME}.png", PACKAGING / "linux" / "INSTALL.txt"):
            archive.add(extra, arcname=f"{stem}/{extra.name}", filter=_owned_by_root)
    return tarball


def _owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def control_file(ver: str, arch: str, depends: list[str], installed_kb: int) -> str:
    return (
        f"Package: {NAME}\n"
        f"Version: {ver}\n"
        "Section: graphics\n"
        "Priority: optional\n"
        f"Architecture: {arch}\n"
        f"Installed-Size: {installed_kb}\n"
        f"Depends: {', '.join(depends)}\n"
        "Maintainer: SEE-1 Previs team <previs@see1.studio>\n"
        "Homepage: https://see1.studio/previs\n"
        "Description: previsualization for the SEE-1 zero-gravity film studio module\n"
        " Block actors and props in the SEE-1 sphere, see what zero-g does with MuJoCo\n"
        " physics, place cameras with real lenses and export shot lists, camera tracks,\n"
        " USD and OTIO. Self-contained: brings its own Python and libraries and works\n"
        " offline. Check an installation with 'see1-previs --self-test'.\n"
    )


def write_deb(
    bundle: Path, out: Path, work: Path, ver: str, arch: str, depends: list[str], compression: str
) -> Path:
    root = work / "deb" / f"{NAME}_{ver}_{arch}"
    if root.exists():
        shutil.rmtree(root)
    opt = root / INSTALL_FOLDER.relative_to("/")
    shutil.copytree(bundle, opt, symlinks=True)
    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    # The bootloader finds its bundle through /proc/self/exe, so a symlink on PATH is enough.
    (usr_bin / NAME).symlink_to(INSTALL_FOLDER / NAME)
    applications = root / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copy2(DESKTOP_ENTRY, applications / DESKTOP_ENTRY.name)
    hicolor = root / "usr" / "share" / "icons" / "hicolor"
    (hicolor / "512x512" / "apps").mkdir(parents=True)
    shutil.copy2(ICONS / f"{NAME}.png", hicolor / "512x512" / "apps" / f"{NAME}.png")
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(ICONS / f"{NAME}.svg", hicolor / "scalable" / "apps" / f"{NAME}.svg")
    docs = root / "usr" / "share" / "doc" / NAME
    docs.mkdir(parents=True)
    shutil.copy2(PACKAGING / "linux" / "copyright", docs / "copyright")
    for path in root.rglob("*"):  # dpkg wants 0755 folders and no group/world write bits
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        if path.is_dir():
            path.chmod(0o755)
        else:
            path.chmod(0o755 if mode & stat.S_IXUSR else 0o644)
    debian = root / "DEBIAN"
    debian.mkdir(mode=0o755)
    installed_kb = folder_size(root) // 1024
    (debian / "control").write_text(
        control_file(ver, arch, depends, installed_kb), encoding="utf-8"
    )
    deb = out / f"{NAME}_{ver}_{arch}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", *DEB_COMPRESSION[compression], "--build", root, deb],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="installers go here")
    parser.add_argument(
        "--work", type=Path, default=REPO / "build" / "package", help="intermediate files"
    )
    parser.add_argument("--no-deb", action="store_true", help="skip the .deb")
    parser.add_argument(
        "--deb-compression",
        choices=sorted(DEB_COMPRESSION),
        default="zstd",
        help="zstd (default; dpkg >= 1.21) or xz (smaller, slower, any dpkg)",
    )
    args = parser.parse_args(argv)
    out, work = args.out.resolve(), args.work.resolve()
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    ver, arch = version(), debian_arch()
    figures: list[tuple[str, str]] = []

    started = time.perf_counter()
    bundle = run_pyinstaller(work)
    figures.append(("PyInstaller build", f"{time.perf_counter() - started:.0f} s"))
    before = folder_size(bundle)
    strip_interpreter(bundle)
    figures.append(
        ("bundle folder", f"{megabytes(folder_size(bundle))} (unstripped {megabytes(before)})")
    )

    libraries, missing = system_libraries(bundle)
    if missing:
        print("build_linux: libraries not found on this machine:", *missing, sep="\n  ")
        return 1
    depends = list(dict.fromkeys(debian_packages(libraries) + GRAPHICS_DEPENDS))
    (work / "system-libraries.txt").write_text(
        "".join(f"{path}\n" for path in sorted(libraries)), encoding="utf-8"
    )

    step = time.perf_counter()
    tarball = write_tarball(bundle, out, f"{NAME}-{ver}-linux-{platform.machine()}")
    figures.append((tarball.name, f"{megabytes(tarball.stat().st_size)}"))
    figures.append(("  written in", f"{time.perf_counter() - step:.0f} s"))
    if not args.no_deb:
        if shutil.which("dpkg-deb") is None:
            print("build_linux: dpkg-deb not found; skipping the .deb")
        else:
            step = time.perf_counter()
            deb = write_deb(bundle, out, work, ver, arch, depends, args.deb_compression)
            figures.append((deb.name, f"{megabytes(deb.stat().st_size)}"))
            figures.append(("  written in", f"{time.perf_counter() - step:.0f} s"))
            figures.append(("  Depends", ", ".join(depends)))
    figures.append(("total", f"{time.perf_counter() - started:.0f} s"))
    print(f"SEE-1 Previs {ver} installers in {out}")
    for label, value in figures:
        print(f"  {label:<40} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
