#!/bin/sh
# Installs the Debian packages SEE-1 Previs needs that pip cannot provide.
#   venv  - Python's venv module (only missing on minimal Debian images)
#   build - a C compiler and Python's headers: the install builds the native contact-force
#           library (without them the app installs and uses the slower Python version)
#   test  - a virtual display (Xvfb), Mesa software OpenGL/EGL and Qt's X11 libraries, and
#           binutils (PyInstaller reads libraries with objdump; the bundle test builds one),
#           poppler-utils (tests rasterise exported PDFs with pdftoppm)
#   package - what building the Linux installers needs (binutils; dpkg-deb comes with dpkg)
# Installs only what is missing, and only when run as root; otherwise it lists what is missing.
set -eu

case "${1:-test}" in
venv) packages="python3-venv" ;;
build) packages="gcc libc6-dev python3-dev" ;;
test)
    packages="xvfb xauth libgl1 libglx-mesa0 libgl1-mesa-dri libegl1 libegl-mesa0 libglu1-mesa
libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0 libxcb-xkb1
libxrender1 libxi6 libfontconfig1 libdbus-1-3 binutils poppler-utils gcc libc6-dev python3-dev"
    ;;
package) packages="binutils" ;;
*) echo "usage: $0 [venv|build|test|package]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-system-deps: not a Debian system; install the equivalents of: $packages" >&2
    exit 0
fi

missing=""
for package in $packages; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "install-system-deps: missing Debian packages:$missing" >&2
    echo "install-system-deps: run 'sudo $0 ${1:-test}' to install them" >&2
    exit 0
fi

echo "install-system-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
