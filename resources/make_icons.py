"""Regenerate the PNG, ICO and ICNS icons from ``fetchlens.svg``.

Run from anywhere with ``python resources/make_icons.py``; commit the files it writes.
It needs only PySide6 (QtSvg renders the SVG offscreen). ICO and ICNS are both containers
of PNG images, which Windows Vista+ and macOS 10.7+ read, so they are assembled here with
``struct`` instead of adding Pillow as a dependency.
"""

from __future__ import annotations

import logging
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SVG = HERE / "fetchlens.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold PNG data, by pixel size (the @2x types reuse the larger render).
ICNS_TYPES: tuple[tuple[bytes, int], ...] = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),  # 512x512@2x
    (b"ic11", 32),  # 16x16@2x
    (b"ic12", 64),  # 32x32@2x
    (b"ic13", 256),  # 128x128@2x
    (b"ic14", 512),  # 256x256@2x
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """Render the SVG to a square PNG.

    Args:
        renderer: A renderer holding the icon.
        size: Edge length in pixels.

    Returns:
        The PNG file content.
    """
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size}px PNG")
    buffer.close()
    return bytes(data.data())


def build_ico(pngs: dict[int, bytes]) -> bytes:
    """Assemble a Windows ``.ico`` whose images are PNG-compressed.

    Args:
        pngs: PNG content by pixel size (at most 256).

    Returns:
        The ICO file content.
    """
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = [], []
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset))
        images.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(images)


def build_icns(pngs: dict[int, bytes]) -> bytes:
    """Assemble a macOS ``.icns`` from PNG renders.

    Args:
        pngs: PNG content by pixel size; every size named in ``ICNS_TYPES`` must be present.

    Returns:
        The ICNS file content.
    """
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    """Write every icon file next to this script.

    Returns:
        The process exit code.
    """
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        log.error("cannot render %s", SVG)
        return 1
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES})
    pngs = {size: render_png(renderer, size) for size in sizes}
    out = HERE / "icons"
    out.mkdir(exist_ok=True)
    for size in PNG_SIZES:
        (out / f"fetchlens-{size}.png").write_bytes(pngs[size])
    (HERE / "fetchlens.ico").write_bytes(build_ico({size: pngs[size] for size in ICO_SIZES}))
    (HERE / "fetchlens.icns").write_bytes(build_icns(pngs))
    log.info("wrote %d PNGs, fetchlens.ico and fetchlens.icns in %s", len(PNG_SIZES), HERE)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
