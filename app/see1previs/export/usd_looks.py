"""Looks for the USD stage: UsdPreviewSurface materials and the cabin's light rings as UsdLux.

Materials live under ``/World/Looks``, one per body (``<name>_material``) and one each for the
cabin wall and the fixtures, each a ``UsdPreviewSurface`` whose ``diffuseColor`` is the scene
colour in linear RGB. Lights live under ``/World/Lights``: one ``RectLight`` per light-ring
bar, shining into the cabin (see :mod:`see1previs.export.light_rings`).
"""

from __future__ import annotations

import numpy as np
from pxr import Gf, Sdf, Usd, UsdGeom, UsdLux, UsdShade

from see1previs.export.light_rings import STRIP_COLOR_LINEAR, STRIP_LUMINANCE_NITS, light_strips
from see1previs.station.model import Station

LOOKS = "/World/Looks"
LIGHTS = "/World/Lights"
ROUGHNESS = 0.6  # matte fabric and painted surfaces


def linear_rgb(color: str) -> tuple[float, float, float]:
    """A '#rrggbb' display colour (sRGB) as linear RGB (what USD and glTF expect)."""
    channels = [int(color[i : i + 2], 16) / 255.0 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return (r, g, b)


def add_material(stage: Usd.Stage, name: str, color: str) -> UsdShade.Material:
    """A ``UsdPreviewSurface`` material ``/World/Looks/<name>`` of one sRGB colour."""
    if not stage.GetPrimAtPath(LOOKS):
        UsdGeom.Scope.Define(stage, LOOKS)
    material = UsdShade.Material.Define(stage, f"{LOOKS}/{name}")
    shader = UsdShade.Shader.Define(stage, f"{LOOKS}/{name}/surface")
    shader.CreateIdAttr("UsdPreviewSurface")
    shader.CreateInput("diffuseColor", Sdf.ValueTypeNames.Color3f).Set(Gf.Vec3f(*linear_rgb(color)))
    shader.CreateInput("roughness", Sdf.ValueTypeNames.Float).Set(ROUGHNESS)
    shader.CreateInput("metallic", Sdf.ValueTypeNames.Float).Set(0.0)
    material.CreateSurfaceOutput().ConnectToSource(shader.ConnectableAPI(), "surface")
    return material


def bind_material(prim: Usd.Prim, material: UsdShade.Material) -> None:
    UsdShade.MaterialBindingAPI.Apply(prim).Bind(material)


def add_light_rings(stage: Usd.Stage, station: Station) -> list[Usd.Prim]:
    """One UsdLux light per light-ring bar (a disc per ring without bars); the prims added."""
    strips = light_strips(station)
    if not strips:
        return []
    UsdGeom.Scope.Define(stage, LIGHTS)
    prims = []
    for strip in strips:
        path = f"{LIGHTS}/{strip.name}"
        if strip.disc:
            light = UsdLux.DiskLight.Define(stage, path)
            light.CreateRadiusAttr(0.5 * strip.length)
        else:
            light = UsdLux.RectLight.Define(stage, path)
            light.CreateWidthAttr(strip.length)  # along the bar: the light's local X
            light.CreateHeightAttr(strip.width)
        light.CreateIntensityAttr(STRIP_LUMINANCE_NITS)
        light.CreateColorAttr(Gf.Vec3f(*STRIP_COLOR_LINEAR))
        matrix = np.eye(4)
        matrix[:3, :3] = strip.rotation().T  # USD matrices act on row vectors
        matrix[3, :3] = strip.centre
        light.AddTransformOp().Set(Gf.Matrix4d(matrix.tolist()))
        prim = light.GetPrim()
        prim.CreateAttribute("see1:fixture", Sdf.ValueTypeNames.String, custom=True).Set(
            strip.fixture_id
        )
        prims.append(prim)
    return prims
