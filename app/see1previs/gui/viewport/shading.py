"""How the viewport lights its surfaces: one shader and the previs suite's colours.

The SEE-1 cabin is viewed from inside as often as from outside, so lighting is two-sided:
a headlight from the viewer (the surface facing you is lit whichever side it is) plus a soft
key light from above-right, over a dim ambient. Colours are chosen for a darkened previs
suite: a near-black background, a cool grey shell, fixtures in distinct muted colours.
"""

from __future__ import annotations

from pyqtgraph.opengl import shaders

BACKGROUND = (16, 18, 22)  # RGB 0-255
SHELL_RGBA = (0.44, 0.47, 0.54, 1.0)
FIXTURE_RGBA = {
    "handrail": (0.86, 0.62, 0.22, 1.0),
    "foot_restraint": (0.22, 0.66, 0.60, 1.0),
    "seat_track": (0.55, 0.57, 0.62, 1.0),
    "light_ring": (0.92, 0.90, 0.78, 1.0),
    "camera_mount": (0.72, 0.38, 0.70, 1.0),
    "hatch": (0.50, 0.56, 0.68, 1.0),
}
OTHER_PART_RGBA = (0.50, 0.52, 0.58, 1.0)
SELECTION_RGBA = (1.0, 0.62, 0.10, 1.0)  # the outline round a selected object
TRAIL_ALPHA = 0.45
ONION_ALPHA = 0.22
CAMERA_RGBA = [
    (0.95, 0.33, 0.30, 1.0),  # A camera
    (0.35, 0.80, 0.42, 1.0),  # B camera
    (0.35, 0.62, 1.00, 1.0),  # C camera
    (0.95, 0.80, 0.30, 1.0),
    (0.80, 0.45, 0.95, 1.0),
    (0.30, 0.85, 0.85, 1.0),
]
CAMERA_BODY_RGBA = (0.16, 0.17, 0.20, 1.0)
DEFAULT_PROP_RGBA = (0.85, 0.55, 0.2, 1.0)
DEFAULT_ACTOR_RGBA = (0.35, 0.55, 0.85, 1.0)

LIT = shaders.ShaderProgram(
    "see1-lit",
    [
        shaders.VertexShader(
            """
            uniform mat4 u_mvp;
            uniform mat3 u_normal;
            attribute vec4 a_position;
            attribute vec3 a_normal;
            attribute vec4 a_color;
            varying vec4 v_color;
            varying vec3 v_normal;
            void main() {
                v_normal = normalize(u_normal * a_normal);
                v_color = a_color;
                gl_Position = u_mvp * a_position;
            }
            """
        ),
        shaders.FragmentShader(
            """
            #ifdef GL_ES
            precision mediump float;
            #endif
            varying vec4 v_color;
            varying vec3 v_normal;
            void main() {
                vec3 n = normalize(v_normal);
                float head = abs(n.z);
                float key = max(dot(n, normalize(vec3(0.45, 0.65, 0.6))), 0.0);
                float light = 0.30 + 0.55 * head + 0.25 * key;
                gl_FragColor = vec4(v_color.rgb * light, v_color.a);
            }
            """
        ),
    ],
)


# Shared by the shell and the fixtures: lit like LIT, and the model-space position passed on
# for per-pixel work (seams on the shell, the cutaway of fixtures).
_POSITION_VERTEX = """
    uniform mat4 u_mvp;
    uniform mat3 u_normal;
    attribute vec4 a_position;
    attribute vec3 a_normal;
    attribute vec4 a_color;
    varying vec4 v_color;
    varying vec3 v_normal;
    varying vec3 v_position;
    void main() {
        v_normal = normalize(u_normal * a_normal);
        v_color = a_color;
        v_position = a_position.xyz;
        gl_Position = u_mvp * a_position;
    }
"""


# The shell's padded panels: darker seams every 15° of latitude and longitude on the sphere,
# computed per pixel from the position on the wall, so the curve of the cabin reads from
# inside as well as from outside. The hatch tunnel (off the sphere) has no seams.
SHELL = shaders.ShaderProgram(
    "see1-shell",
    [
        shaders.VertexShader(_POSITION_VERTEX),
        shaders.FragmentShader(
            """
            #ifdef GL_FRAGMENT_PRECISION_HIGH
            precision highp float;
            #else
            precision mediump float;
            #endif
            varying vec4 v_color;
            varying vec3 v_normal;
            varying vec3 v_position;
            void main() {
                vec3 n = normalize(v_normal);
                float head = abs(n.z);
                float key = max(dot(n, normalize(vec3(0.45, 0.65, 0.6))), 0.0);
                float light = 0.30 + 0.55 * head + 0.25 * key;
                float radius = length(v_position);
                vec3 p = v_position / radius;
                float panel = 0.2617994;  // 15 degrees
                float lat = asin(clamp(p.z, -1.0, 1.0));
                float lon = atan(p.y, p.x);
                float dlat = abs(fract(lat / panel + 0.5) - 0.5) * panel;
                float dlon = abs(fract(lon / panel + 0.5) - 0.5) * panel * cos(lat);
                float seam_m = min(dlat, dlon) * radius;
                float seam = 1.0 - smoothstep(0.008, 0.02, seam_m);
                if (radius > 3.05 || abs(p.x) > 0.985) {
                    seam = 0.0;  // the hatch tunnel, and the crowded pole round it
                }
                gl_FragColor = vec4(v_color.rgb * light * (1.0 - 0.22 * seam), v_color.a);
            }
            """
        ),
    ],
)


# Fixtures, all in one mesh with vertex colours. Seen from outside, the fixtures on the near
# half of the sphere are cut away with the shell: a fragment on a wall that faces away from
# the eye (the eye is on the hull side of it) is discarded. ``u_eye`` is set every frame.
FIXTURES = shaders.ShaderProgram(
    "see1-fixtures",
    [
        shaders.VertexShader(_POSITION_VERTEX),
        shaders.FragmentShader(
            """
            #ifdef GL_FRAGMENT_PRECISION_HIGH
            precision highp float;
            #else
            precision mediump float;
            #endif
            uniform float u_eye[3];
            varying vec4 v_color;
            varying vec3 v_normal;
            varying vec3 v_position;
            void main() {
                vec3 eye = vec3(u_eye[0], u_eye[1], u_eye[2]);
                if (dot(v_position, eye - v_position) > 0.05) {
                    discard;  // on the near wall, seen from outside
                }
                vec3 n = normalize(v_normal);
                float head = abs(n.z);
                float key = max(dot(n, normalize(vec3(0.45, 0.65, 0.6))), 0.0);
                float light = 0.30 + 0.55 * head + 0.25 * key;
                gl_FragColor = vec4(v_color.rgb * light, v_color.a);
            }
            """
        ),
    ],
    uniforms={"u_eye": [0.0, 0.0, 0.0]},
)


def hex_rgba(color: str | None, default: tuple[float, ...]) -> tuple[float, float, float, float]:
    """A scene colour ("#rrggbb") as RGBA floats, or the default."""
    if not color:
        return tuple(default)  # type: ignore[return-value]
    value = color.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255.0 for i in (0, 2, 4))
    return (r, g, b, 1.0)
