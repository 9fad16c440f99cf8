"""MuJoCo's warnings reach Python logging and never write MUJOCO_LOG.TXT where the app runs."""

from __future__ import annotations

import logging

import mujoco

import see1previs.physics  # noqa: F401  (importing the layer routes the warnings)

FREE_BALL = """
<mujoco><worldbody><body><freejoint/><geom size="0.1"/></body></worldbody></mujoco>
"""


def test_an_unstable_step_logs_instead_of_writing_a_file(tmp_path, monkeypatch, caplog):
    monkeypatch.chdir(tmp_path)
    model = mujoco.MjModel.from_xml_string(FREE_BALL)
    data = mujoco.MjData(model)
    data.qvel[:] = 1e20  # MuJoCo's own "huge value in QVEL" warning
    with caplog.at_level(logging.WARNING, logger="see1previs.mujoco"):
        mujoco.mj_step(model, data)
    assert data.warning[mujoco.mjtWarning.mjWARN_BADQVEL].number >= 1
    assert any("QVEL" in record.getMessage() for record in caplog.records)
    assert list(tmp_path.iterdir()) == []
