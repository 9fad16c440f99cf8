"""The breakfast demo as binary glTF, read back with pygltflib and trimesh (not our writer).

The test evaluates the file the way a viewer does: accessors decoded from the binary chunk,
animation samplers interpolated at each sampled frame's time, node transforms composed from
the root down, skinned vertices moved by joint matrices times inverse bind matrices. The
result must equal the bake: joints and props within 1 mm and 0.1°, cameras likewise, with
the lens's vertical field of view.
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pygltflib
import pytest
import trimesh
from pygltflib.validator import validate
from scipy.spatial.transform import Rotation, Slerp

from see1previs.export.camera_plan import export_camera_plan
from see1previs.export.files import ExportError
from see1previs.export.formats import FORMATS
from see1previs.export.gltf_scene import write_gltf_scene
from see1previs.station.loader import load_station
from tests.export import builders
from tests.export.breakfast import breakfast

POSITION_TOLERANCE_M = 1e-3
ANGLE_TOLERANCE_DEG = 0.1
_DTYPES = {5126: np.float32, 5121: np.uint8, 5123: np.uint16, 5125: np.uint32}
_WIDTH = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT4": 16}


@pytest.fixture(scope="module")
def baked():
    return breakfast()


@pytest.fixture(scope="module")
def glb(baked, tmp_path_factory):
    path = tmp_path_factory.mktemp("gltf") / "scene.glb"
    write_gltf_scene(path, baked.scene, baked.station, baked.trajectory, baked.tracks)
    return path


@pytest.fixture(scope="module")
def reader(glb):
    return _Reader(pygltflib.GLTF2.load(str(glb)))


class _Reader:
    """Evaluates a loaded glTF: accessors, samplers, node transforms at a time."""

    def __init__(self, gltf: pygltflib.GLTF2) -> None:
        self.gltf = gltf
        self.blob = gltf.binary_blob()
        self.parent = {}
        for index, node in enumerate(gltf.nodes):
            for child in node.children or []:
                assert child not in self.parent, "a node has two parents"
                self.parent[child] = index
        self.channels = {}
        for animation in gltf.animations:
            for channel in animation.channels:
                sampler = animation.samplers[channel.sampler]
                key = (channel.target.node, channel.target.path)
                self.channels[key] = (self.array(sampler.input), self.array(sampler.output))

    def array(self, index: int) -> np.ndarray:
        accessor = self.gltf.accessors[index]
        view = self.gltf.bufferViews[accessor.bufferView]
        width = _WIDTH[accessor.type]
        dtype = np.dtype(_DTYPES[accessor.componentType])
        start = (view.byteOffset or 0) + (accessor.byteOffset or 0)
        end = start + accessor.count * width * dtype.itemsize
        assert end <= (view.byteOffset or 0) + view.byteLength <= len(self.blob)
        data = np.frombuffer(self.blob[start:end], dtype=dtype).reshape(accessor.count, width)
        if accessor.type == "MAT4":
            return data.reshape(-1, 4, 4).transpose(0, 2, 1).astype(float)  # column-major
        return data.reshape(-1) if width == 1 else data

    def local(self, node: int, t: float) -> np.ndarray:
        n = self.gltf.nodes[node]
        if n.matrix:
            return np.array(n.matrix, dtype=float).reshape(4, 4).T
        translation = np.array(n.translation or [0.0, 0.0, 0.0], dtype=float)
        rotation = Rotation.from_quat(n.rotation or [0.0, 0.0, 0.0, 1.0])
        if (node, "translation") in self.channels:
            times, values = self.channels[(node, "translation")]
            translation = np.array([np.interp(t, times, values[:, k]) for k in range(3)])
        if (node, "rotation") in self.channels:
            times, values = self.channels[(node, "rotation")]
            t = float(np.clip(t, times[0], times[-1]))
            rotation = Slerp(times.astype(float), Rotation.from_quat(values))([t])[0]
        m = np.eye(4)
        m[:3, :3] = rotation.as_matrix()
        m[:3, 3] = translation
        return m

    def world(self, node: int, t: float) -> np.ndarray:
        m = self.local(node, t)
        while node in self.parent:
            node = self.parent[node]
            m = self.local(node, t) @ m
        return m

    def module(self, node: int, t: float) -> np.ndarray:
        """The node's transform in the module frame: glTF world with the Z-up root undone."""
        root = next(i for i, n in enumerate(self.gltf.nodes) if n.name == "SEE1_module")
        return np.linalg.inv(self.local(root, t)) @ self.world(node, t)

    def named(self, name: str) -> int:
        return next(i for i, n in enumerate(self.gltf.nodes) if n.name == name)


def _errors(matrix: np.ndarray, position: np.ndarray, wxyz: np.ndarray) -> tuple[float, float]:
    w, x, y, z = wxyz
    delta = Rotation.from_matrix(matrix[:3, :3]) * Rotation.from_quat([x, y, z, w]).inv()
    return float(np.linalg.norm(matrix[:3, 3] - position)), math.degrees(delta.magnitude())


def test_the_file_is_valid_binary_gltf_2(glb, reader):
    assert glb.read_bytes()[:4] == b"glTF"
    gltf = reader.gltf
    assert gltf.asset.version == "2.0"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "provisional function"
        validate(gltf)
    assert gltf.buffers[0].byteLength <= len(reader.blob)
    for index in range(len(gltf.accessors)):
        reader.array(index)  # every accessor lies inside its view, inside the buffer
    for mesh in gltf.meshes:
        for primitive in mesh.primitives:
            count = gltf.accessors[primitive.attributes.POSITION].count
            assert reader.array(primitive.indices).max() < count
            assert gltf.accessors[primitive.attributes.POSITION].min is not None
            assert primitive.material is not None
    for skin in gltf.skins:
        assert len(reader.array(skin.inverseBindMatrices)) == len(skin.joints) == 16
    for (_node, _path), (times, values) in reader.channels.items():
        assert len(times) == len(values) and np.all(np.diff(times) > 0)


def test_the_root_turns_the_z_up_module_into_y_up_gltf(reader):
    root = reader.named("SEE1_module")
    assert root in reader.gltf.scenes[reader.gltf.scene].nodes
    turn = reader.local(root, 0.0)[:3, :3]
    assert np.allclose(turn @ [0, 0, 1], [0, 1, 0], atol=1e-9)  # studio up is glTF up
    assert np.allclose(turn @ [1, 0, 0], [1, 0, 0], atol=1e-9)  # +X still the hatch


def test_animation_times_are_frame_times(baked, reader):
    times = next(iter(reader.channels.values()))[0]
    assert len(times) == baked.trajectory.frame_count
    assert np.allclose(times, baked.trajectory.times, atol=1e-6)


@pytest.mark.parametrize("actor_id", ["mika", "ren"])
def test_skin_joints_follow_the_baked_segments(baked, reader, actor_id):
    skin = next(s for s in reader.gltf.skins if s.name == f"{actor_id}_skeleton")
    names = [reader.gltf.nodes[j].name for j in skin.joints]
    assert names[0] == "lower_trunk" and {"head", "left_hand", "right_foot"} <= set(names)
    worst = (0.0, 0.0)
    for frame in baked.sample_frames():
        t = float(baked.trajectory.times[frame])
        for joint, name in zip(skin.joints, names, strict=True):
            position, orientation = baked.trajectory.link_pose(f"{actor_id}/{name}", t)
            errors = _errors(reader.module(joint, t), position, orientation)
            worst = (max(worst[0], errors[0]), max(worst[1], errors[1]))
    assert worst[0] <= POSITION_TOLERANCE_M
    assert worst[1] <= ANGLE_TOLERANCE_DEG


def test_each_skeleton_hangs_under_its_own_node(reader):
    """Importers make the joints' common parent an armature: one per actor, bones unrenamed."""
    root = reader.named("SEE1_module")
    holders = set()
    for skin in reader.gltf.skins:
        holder = reader.parent[skin.joints[0]]
        assert reader.gltf.nodes[holder].name == skin.name  # "<actor>_skeleton"
        assert reader.parent[holder] == root
        assert reader.gltf.nodes[holder].children == [skin.joints[0]]
        holders.add(holder)
    assert len(holders) == len(reader.gltf.skins) == 2


def test_skinned_hand_vertices_ride_on_the_baked_hand(baked, reader):
    """Skinning as a viewer does it: joint world matrix x inverse bind matrix x vertex."""
    node = reader.named("ren_body")
    skin = reader.gltf.skins[reader.gltf.nodes[node].skin]
    attributes = reader.gltf.meshes[reader.gltf.nodes[node].mesh].primitives[0].attributes
    points = reader.array(attributes.POSITION).astype(float)
    joints = reader.array(attributes.JOINTS_0)[:, 0]
    weights = reader.array(attributes.WEIGHTS_0)
    assert np.allclose(weights[:, 0], 1.0) and np.allclose(weights[:, 1:], 0.0)
    inverse_bind = reader.array(skin.inverseBindMatrices)
    hand = [reader.gltf.nodes[j].name for j in skin.joints].index("right_hand")
    on_hand = points[joints == hand]
    bind = np.linalg.inv(inverse_bind[hand])
    local = (np.linalg.inv(bind) @ np.c_[on_hand, np.ones(len(on_hand))].T)[:3].T
    for frame in baked.sample_frames():
        t = float(baked.trajectory.times[frame])
        skinning = reader.module(skin.joints[hand], t) @ inverse_bind[hand]
        moved = (skinning @ np.c_[on_hand, np.ones(len(on_hand))].T)[:3].T
        position, (w, x, y, z) = baked.trajectory.link_pose("ren/right_hand", t)
        expected = position + Rotation.from_quat([x, y, z, w]).apply(local)
        assert np.abs(moved - expected).max() <= POSITION_TOLERANCE_M


def test_props_follow_the_bake(baked, reader):
    node = reader.named("bulb")
    assert reader.gltf.nodes[node].mesh is not None
    for frame in baked.sample_frames():
        t = float(baked.trajectory.times[frame])
        position, orientation = baked.trajectory.pose("bulb", t)
        distance, angle = _errors(reader.module(node, t), position, orientation)
        assert distance <= POSITION_TOLERANCE_M and angle <= ANGLE_TOLERANCE_DEG


def test_cameras_have_the_lens_field_of_view_and_the_track_pose(baked, reader):
    cameras = reader.gltf.cameras
    assert len(cameras) == len(baked.scene.cameras) == 2
    for camera_id, track in baked.tracks.items():
        node = next(
            i
            for i, n in enumerate(reader.gltf.nodes)
            if n.camera is not None and n.name == camera_id
        )
        camera = cameras[reader.gltf.nodes[node].camera]
        assert camera.type == "perspective"
        width, height = track.optics.sensor_width_mm, track.optics.sensor_height_mm
        yfov = 2.0 * math.atan(height / (2.0 * float(track.focal_mm[0])))
        assert camera.perspective.yfov == pytest.approx(yfov, abs=1e-6)
        assert camera.perspective.aspectRatio == pytest.approx(width / height, abs=1e-6)
        for frame in baked.sample_frames():
            t = float(track.times[frame])
            matrix = reader.module(node, t)
            distance, angle = _errors(matrix, track.positions[frame], track.orientations[frame])
            assert distance <= POSITION_TOLERANCE_M and angle <= ANGLE_TOLERANCE_DEG


def test_trimesh_loads_the_whole_scene(glb):
    scene = trimesh.load(str(glb))
    assert isinstance(scene, trimesh.Scene)
    names = set(scene.graph.nodes)
    assert {"SEE1_module", "Interior_wall", "Interior_fixtures", "bulb", "A", "B"} <= names
    assert {"mika_body", "ren_body"} <= names
    assert len(scene.geometry) >= 5  # wall, fixtures, bulb and two bodies
    assert 5.0 < scene.extents.max() < 7.0  # the ~6 m sphere, in metres


# ---- every shape, with motion known in closed form (tests/export/builders.py) ---------------
@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    scene = builders.make_scene()
    path = tmp_path_factory.mktemp("shapes") / "shapes.glb"
    station = load_station("see1")
    write_gltf_scene(
        path, scene, station, builders.make_trajectory(scene), builders.make_tracks(scene)
    )
    return scene, _Reader(pygltflib.GLTF2.load(str(path)))


def test_every_shape_has_its_size_and_the_closed_form_motion(shapes):
    scene, reader = shapes

    def extent(name: str) -> np.ndarray:
        node = reader.gltf.nodes[reader.named(name)]
        attributes = reader.gltf.meshes[node.mesh].primitives[0].attributes
        position = reader.gltf.accessors[attributes.POSITION]
        return np.array(position.max) - np.array(position.min)

    assert np.allclose(extent("ball"), 0.22, atol=2e-3)
    assert np.allclose(extent("crate-1"), (0.3, 0.2, 0.1), atol=1e-6)
    assert np.allclose(extent("tube"), (0.1, 0.1, 0.4), atol=1e-3)
    assert extent("bottle")[2] == pytest.approx(0.2 + 2 * 0.04, abs=1e-6)
    assert extent("mia")[2] == pytest.approx(1.7, abs=1e-6)  # the placeholder, head to toe
    for index, body in enumerate(scene.bodies()):
        node = reader.named(body.id)
        for frame in (0, 13, 48):
            t = frame / 24
            position = builders.body_position(index, t)
            orientation = builders.body_orientation(index, t)
            distance, angle = _errors(reader.module(node, t), position, orientation)
            assert distance <= 1e-6 and angle <= 1e-4


def test_a_zoom_keeps_the_first_frame_field_of_view(shapes):
    scene, reader = shapes
    (camera,) = reader.gltf.cameras
    height = builders.SENSOR_MM[1]
    focal = builders.focal_mm(0.0, scene.duration)
    assert camera.perspective.yfov == pytest.approx(2 * math.atan(height / (2 * focal)))


def test_a_trajectory_at_another_rate_is_refused(tmp_path):
    scene = builders.make_scene()
    trajectory = builders.make_trajectory(scene)
    trajectory.frame_rate = Fraction(25)
    with pytest.raises(ExportError, match="bake the scene again"):
        write_gltf_scene(tmp_path / "x.glb", scene, load_station("see1"), trajectory, {})
    assert not (tmp_path / "x.glb").exists()


def test_the_camera_plan_writes_gltf_when_asked(tmp_path):
    scene = builders.make_scene(duration=0.5)
    out = tmp_path / "plan"
    written = export_camera_plan(
        out,
        scene,
        load_station("see1"),
        builders.make_trajectory(scene),
        builders.make_tracks(scene),
        formats=["gltf"],
    )
    assert sorted(p.name for p in written) == ["manifest.json", "scene.glb"]
    assert "gltf" in FORMATS
    assert pygltflib.GLTF2.load(str(out / "scene.glb")).cameras


def test_the_light_rings_are_spot_lights_shining_into_the_cabin(shapes):
    _, reader = shapes
    gltf = reader.gltf
    assert "KHR_lights_punctual" in gltf.extensionsUsed
    lights = gltf.extensions["KHR_lights_punctual"]["lights"]
    assert len(lights) == 48 and {light["type"] for light in lights} == {"spot"}
    nodes = [i for i, n in enumerate(gltf.nodes) if n.extensions.get("KHR_lights_punctual")]
    assert len(nodes) == 48
    assert {gltf.nodes[i].extras["see1:fixture"] for i in nodes} == {"L1", "L2"}
    for node in nodes:
        matrix = reader.module(node, 0.0)
        centre, shines = matrix[:3, 3], matrix[:3, :3] @ [0.0, 0.0, -1.0]
        assert 2.5 < np.linalg.norm(centre) < 3.0 and shines @ -centre > 0
