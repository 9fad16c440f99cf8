"""An articulated actor in USD: a UsdSkel skeleton, its performance and a skinned body mesh.

Layout under the actor's prim (``<name>`` is the actor's prim name)::

    /World/Bodies/<name>                     SkelRoot
      /<name>_skeleton                       Skeleton: 16 joints, bind and rest transforms
        /<name>_performance                  SkelAnimation: joint transforms every frame
      /<name>_body                           Mesh, each vertex bound to one joint (weight 1)

The skeleton prim sits at the module origin with no transform of its own: the root joint
(lower trunk) carries the actor's whole motion, so joint world transforms are the baked
segment poses (see :mod:`see1previs.export.actor_skeleton`). Joint rotations and
translations are relative to the parent joint, one time sample per frame.
"""

from __future__ import annotations

import numpy as np
from pxr import Gf, Sdf, Usd, UsdGeom, UsdSkel, Vt

from see1previs.core.scene import Actor
from see1previs.export.actor_skeleton import ActorSkeleton, actor_skeleton, joint_motion
from see1previs.physics.trajectory import Trajectory


def add_skinned_actor(
    stage: Usd.Stage, path: str, name: str, actor: Actor, trajectory: Trajectory
) -> tuple[UsdSkel.Root, UsdGeom.Mesh]:
    """Define the actor's SkelRoot at ``path``; returns it and the skinned body mesh."""
    skeleton = actor_skeleton(actor.height, actor.mass)
    motion = joint_motion(trajectory, actor.id, skeleton)
    root = UsdSkel.Root.Define(stage, path)
    joints = Vt.TokenArray(skeleton.joint_paths())

    skel = UsdSkel.Skeleton.Define(stage, f"{path}/{name}_skeleton")
    skel.CreateJointsAttr(joints)
    skel.CreateJointNamesAttr(Vt.TokenArray(list(skeleton.segments)))
    skel.CreateBindTransformsAttr(_matrices(skeleton.bind_world))
    skel.CreateRestTransformsAttr(_matrices(skeleton.rest_local()))

    animation = UsdSkel.Animation.Define(stage, f"{path}/{name}_skeleton/{name}_performance")
    animation.CreateJointsAttr(joints)
    translations = animation.CreateTranslationsAttr()
    rotations = animation.CreateRotationsAttr()
    animation.CreateScalesAttr(Vt.Vec3hArray([Gf.Vec3h(1.0, 1.0, 1.0)] * len(joints)))
    for frame in range(trajectory.frame_count):
        time = Usd.TimeCode(frame)
        translations.Set(
            Vt.Vec3fArray.FromNumpy(motion.local_translations[frame].astype(np.float32)), time
        )
        rotations.Set(_quats(motion.local_rotations[frame]), time)
    UsdSkel.BindingAPI.Apply(skel.GetPrim()).CreateAnimationSourceRel().SetTargets(
        [animation.GetPath()]
    )

    mesh = _body_mesh(stage, f"{path}/{name}_body", skeleton)
    binding = UsdSkel.BindingAPI.Apply(mesh.GetPrim())
    binding.CreateSkeletonRel().SetTargets([skel.GetPath()])
    binding.CreateJointIndicesPrimvar(False, 1).Set(
        Vt.IntArray.FromNumpy(skeleton.joint_of_vertex.astype(np.int32))
    )
    binding.CreateJointWeightsPrimvar(False, 1).Set(
        Vt.FloatArray.FromNumpy(np.ones(len(skeleton.points), np.float32))
    )
    binding.CreateGeomBindTransformAttr(Gf.Matrix4d(1.0))
    root.CreateExtentAttr(_motion_extent(skeleton, motion.world_positions))
    return root, mesh


def _body_mesh(stage: Usd.Stage, path: str, skeleton: ActorSkeleton) -> UsdGeom.Mesh:
    mesh = UsdGeom.Mesh.Define(stage, path)
    points = skeleton.points.astype(np.float32)
    mesh.CreatePointsAttr(Vt.Vec3fArray.FromNumpy(points))
    mesh.CreateFaceVertexCountsAttr(
        Vt.IntArray.FromNumpy(np.full(len(skeleton.faces), 3, np.int32))
    )
    mesh.CreateFaceVertexIndicesAttr(Vt.IntArray.FromNumpy(skeleton.faces.ravel().astype(np.int32)))
    mesh.CreateOrientationAttr(UsdGeom.Tokens.rightHanded)
    mesh.CreateSubdivisionSchemeAttr(UsdGeom.Tokens.none)
    mesh.CreateNormalsAttr(Vt.Vec3fArray.FromNumpy(skeleton.normals.astype(np.float32)))
    mesh.SetNormalsInterpolation(UsdGeom.Tokens.vertex)
    low, high = points.min(axis=0), points.max(axis=0)
    mesh.CreateExtentAttr([Gf.Vec3f(*low.tolist()), Gf.Vec3f(*high.tolist())])
    mesh.GetPrim().CreateAttribute("see1:skinning", Sdf.ValueTypeNames.String, custom=True).Set(
        "rigid: each vertex follows one segment's joint with weight 1"
    )
    return mesh


def _motion_extent(skeleton: ActorSkeleton, world_positions: np.ndarray) -> Vt.Vec3fArray:
    """A box holding the body at every frame: the joints' sweep grown by the mesh's reach."""
    joints = skeleton.bind_world[skeleton.joint_of_vertex, :3, 3]
    reach = float(np.linalg.norm(skeleton.points - joints, axis=1).max())
    low = world_positions.reshape(-1, 3).min(axis=0) - reach
    high = world_positions.reshape(-1, 3).max(axis=0) + reach
    return Vt.Vec3fArray([Gf.Vec3f(*low.tolist()), Gf.Vec3f(*high.tolist())])


def _matrices(transforms: np.ndarray) -> Vt.Matrix4dArray:
    """Column-vector 4x4 transforms as USD's row-vector matrices."""
    return Vt.Matrix4dArray([Gf.Matrix4d(m.T.tolist()) for m in transforms])


def _quats(wxyz: np.ndarray) -> Vt.QuatfArray:
    return Vt.QuatfArray([Gf.Quatf(float(w), float(x), float(y), float(z)) for w, x, y, z in wxyz])
