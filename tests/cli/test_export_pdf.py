"""The shot-list PDF and storyboard PNGs from `see1-previs export`, read back independently."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from pypdf import PdfReader

from see1previs.cli import main
from tests.cli.test_export_cli import write_scene


def test_pdf_lists_every_shot_with_its_storyboard(tmp_path: Path):
    scene = write_scene(tmp_path)
    out = tmp_path / "plan"
    assert main(["export", str(scene), "--out", str(out), "--formats", "pdf,storyboards"]) == 0
    boards = sorted(p.name for p in (out / "storyboards").iterdir())
    assert boards == [
        f"{s}_{n}_{pos}.png"
        for s in ("s1", "s2")
        for n, pos in ((1, "first"), (2, "middle"), (3, "last"))
    ]
    for name in boards:
        image = np.asarray(Image.open(out / "storyboards" / name))
        assert image.std() > 10, f"{name} is blank"
    reader = PdfReader(str(out / "shot_list.pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Shot list" in text and "export test" in text
    assert text.index("1B") < text.index("1A")  # shooting order
    images = sum(len(page.images) for page in reader.pages)
    assert images == 6
