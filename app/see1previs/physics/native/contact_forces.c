/* Contact forces in newtons, as MuJoCo's passive-force callback.
 *
 * The same computation as see1previs/physics/contact_forces.py (read its docstring for the
 * model and why it exists); that Python function is the reference this one is tested against.
 * MuJoCo finds the contacts (created inactive: margin -GAP, gap GAP); for each contact between
 * two geoms whose user data starts with the marker this adds, at every RK4 stage,
 *
 *     f_n = max(0, k*depth - c*s),  k = m_r*w0^2,  c = min(2*zeta*sqrt(k*m_eff), m_eff*rate/dt)
 *     s = v_n ramped in as min(|v_n|, depth/dt)
 *
 * along the contact normal and regularised Coulomb friction across it, to qfrc_passive, and
 * reports what pushed in d->userdata (layout in contact_forces.py). Bodies also touch the
 * cabin wall (the sphere and the hatch tunnel) as exact geometry when the model carries one
 * (analytic_wall.py).
 *
 * The library is not linked against MuJoCo: Python hands it the addresses of the two MuJoCo
 * functions it calls (mj_jac, mj_solveM) from the library the mujoco package already loaded,
 * and checks that MuJoCo's version is the one these headers describe before installing it.
 */
#define PY_SSIZE_T_CLEAN
#define _USE_MATH_DEFINES /* M_PI with MSVC */
#include <Python.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mujoco/mujoco.h>

typedef void (*JacFunction)(const mjModel*, const mjData*, mjtNum*, mjtNum*, const mjtNum[3],
                            int);
typedef void (*SolveFunction)(const mjModel*, mjData*, mjtNum*, const mjtNum*, int);

static JacFunction jac_function = NULL;
static SolveFunction solve_function = NULL;
static double marker = 0.0;
static double taut_margin = 0.005;
static double duration_steps = 8.0;
static double friction_rate = 1.0;
static double damping_rate = 1.6;
static int wall_slots = 0;
static int wall_record = 6;
static int forces_at = 0;
static int force_slots = 0;
static int userdata_size = 0;
static const int user_size = 4; /* marker, damping ratio, natural frequency, surface group */

static double pair_zeta(const mjModel* m, int g1, int g2) {
  int p1 = m->geom_priority[g1], p2 = m->geom_priority[g2];
  double z1 = m->geom_user[g1 * m->nuser_geom + 1], z2 = m->geom_user[g2 * m->nuser_geom + 1];
  if (p1 > p2) return z1;
  if (p2 > p1) return z2;
  return 0.5 * (z1 + z2);
}

static int marked(const mjModel* m, int geom) {
  return geom >= 0 && m->geom_user[geom * m->nuser_geom] == marker;
}

static int marked_touch(const mjModel* m, const mjData* d, int i) {
  const mjContact* c = d->contact + i;
  return c->efc_address < 0 && marked(m, c->geom[0]) && marked(m, c->geom[1]) && c->dist < 0.0;
}

/* Which surface a geom is part of: its body, or for static geoms its group (negative). */
static int surface(const mjModel* m, int geom) {
  int body = m->geom_bodyid[geom];
  return body != 0 ? body : -(int)m->geom_user[geom * m->nuser_geom + 3];
}

/* Contact i pushes if it is the deepest touch between its two surfaces
 * (contact_forces._acts says why). */
static int acts(const mjModel* m, const mjData* d, int i) {
  if (!marked_touch(m, d, i)) return 0;
  const mjContact* c = d->contact + i;
  int a1 = surface(m, c->geom[0]), a2 = surface(m, c->geom[1]);
  int lo = a1 < a2 ? a1 : a2, hi = a1 < a2 ? a2 : a1;
  for (int j = 0; j < d->ncon; j++) {
    if (j == i || !marked_touch(m, d, j)) continue;
    const mjContact* o = d->contact + j;
    int o1 = surface(m, o->geom[0]), o2 = surface(m, o->geom[1]);
    int olo = o1 < o2 ? o1 : o2, ohi = o1 < o2 ? o2 : o1;
    if (olo != lo || ohi != hi) continue;
    if (o->dist < c->dist || (o->dist == c->dist && j < i)) return 0;
  }
  return 1;
}

/* Scratch space for one callback: two 3 x nv Jacobians and two nv vectors. */
typedef struct {
  mjtNum* jac1;
  mjtNum* jac2;
  mjtNum* jn;
  mjtNum* minv_jn;
} Scratch;

/* The force law (see contact_forces.py): push body 2 along the unit normal at the point, and
 * body 1 back; returns the normal force f_n (0 if the touch does not push). */
static double push(const mjModel* m, mjData* d, Scratch* s, int b1, int b2, const mjtNum point[3],
                   const mjtNum normal[3], double depth, double zeta, double omega, double mu) {
  int nv = m->nv;
  double dt = M_PI / (duration_steps * omega); /* the scene's step, not a shortened one */
  double m1 = m->body_mass[b1], m2 = m->body_mass[b2];
  double reduced;
  if (b1 == 0 || m1 <= 0.0) {
    reduced = m2;
  } else if (b2 == 0 || m2 <= 0.0) {
    reduced = m1;
  } else {
    reduced = m1 * m2 / (m1 + m2);
  }
  jac_function(m, d, s->jac1, NULL, point, b1);
  jac_function(m, d, s->jac2, NULL, point, b2);
  mjtNum* jac = s->jac2; /* becomes jac2 - jac1: body 2's point relative to body 1's */
  for (int k = 0; k < 3 * nv; k++) jac[k] -= s->jac1[k];
  double relative[3];
  for (int r = 0; r < 3; r++) {
    double sum = 0.0;
    for (int j = 0; j < nv; j++) sum += jac[r * nv + j] * d->qvel[j];
    relative[r] = sum;
  }
  double v_n = relative[0] * normal[0] + relative[1] * normal[1] + relative[2] * normal[2];
  for (int j = 0; j < nv; j++) {
    s->jn[j] = normal[0] * jac[j] + normal[1] * jac[nv + j] + normal[2] * jac[2 * nv + j];
  }
  solve_function(m, d, s->minv_jn, s->jn, 1);
  double inverse_mass = 0.0;
  for (int j = 0; j < nv; j++) inverse_mass += s->jn[j] * s->minv_jn[j];
  if (inverse_mass <= 0.0) return 0.0;
  double effective_mass = 1.0 / inverse_mass;
  double stiffness = reduced * omega * omega;
  double damping = 2.0 * zeta * sqrt(stiffness * effective_mass);
  double damping_cap = effective_mass * damping_rate / dt;
  if (damping > damping_cap) damping = damping_cap;
  /* the damper ramps in over the first step's worth of depth (contact_forces._damper_speed) */
  double ramp = depth / dt;
  double damper_speed = fabs(v_n) < ramp ? v_n : (v_n < 0.0 ? -ramp : ramp);
  double f_n = stiffness * depth - damping * damper_speed;
  if (!(f_n > 0.0)) return 0.0;
  double force[3] = {f_n * normal[0], f_n * normal[1], f_n * normal[2]};
  double slip[3] = {relative[0] - v_n * normal[0], relative[1] - v_n * normal[1],
                    relative[2] - v_n * normal[2]};
  double speed = sqrt(slip[0] * slip[0] + slip[1] * slip[1] + slip[2] * slip[2]);
  if (mu > 0.0 && speed > 0.0) {
    double rate = mu * f_n / speed;
    double rate_cap = effective_mass * friction_rate / dt;
    if (rate > rate_cap) rate = rate_cap;
    for (int r = 0; r < 3; r++) force[r] -= rate * slip[r];
  }
  for (int j = 0; j < nv; j++) {
    d->qfrc_passive[j] += jac[j] * force[0] + jac[nv + j] * force[1] + jac[2 * nv + j] * force[2];
  }
  return f_n;
}

/* ---- the exact wall: the sphere and the hatch tunnel (see analytic_wall.py) ---- */

#define OPENING_VALUES 11 /* analytic_wall.OPENING_VALUES */
#define RIM_SAMPLES 16    /* analytic_wall.RIM_SAMPLES */
#define RIM_REFINE 24     /* analytic_wall.RIM_REFINE */

static const mjtNum* sphere_wall(const mjModel* m) {
  for (int i = 0; i < m->nnumeric; i++) {
    if (strcmp(m->names + m->name_numericadr[i], "see1_sphere_wall") == 0 &&
        m->numeric_size[i] >= 3) {
      return m->numeric_data + m->numeric_adr[i];
    }
  }
  return NULL;
}

/* Signed distance of one opening's tunnel at p, a solid box from the centre to the door (> 0
 * outside), and its gradient (analytic_wall.Opening.signed_distance). */
static double tunnel_distance(const mjtNum* o, const double p[3], double gradient[3]) {
  const mjtNum* basis[3] = {o, o + 3, o + 6}; /* axis, u, v; then half width, door */
  double half[3] = {0.5 * o[10], o[9], o[9]};
  double centre[3] = {0.5 * o[10], 0.0, 0.0};
  double q[3], sign[3], outside = 0.0;
  for (int j = 0; j < 3; j++) {
    double offset = p[0] * basis[j][0] + p[1] * basis[j][1] + p[2] * basis[j][2] - centre[j];
    sign[j] = offset < 0.0 ? -1.0 : 1.0;
    q[j] = fabs(offset) - half[j];
    if (q[j] > 0.0) outside += q[j] * q[j];
  }
  double s;
  double local[3] = {0.0, 0.0, 0.0};
  if (outside > 0.0) {
    s = sqrt(outside);
    for (int j = 0; j < 3; j++) local[j] = q[j] > 0.0 ? sign[j] * q[j] / s : 0.0;
  } else {
    int deepest = 0;
    for (int j = 1; j < 3; j++) {
      if (q[j] > q[deepest]) deepest = j;
    }
    s = q[deepest];
    local[deepest] = sign[deepest];
  }
  for (int r = 0; r < 3; r++) {
    gradient[r] = basis[0][r] * local[0] + basis[1][r] * local[1] + basis[2][r] * local[2];
  }
  return s;
}

/* Signed distance of the cabin at p (the union of the sphere and each opening's tunnel, a box
 * from the centre to the door; > 0 into the wall) and its gradient, pointing out of the cabin
 * (analytic_wall.signed_distance). */
static double signed_distance(const mjtNum* wall, const double p[3], double gradient[3]) {
  double distance = sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
  double best = distance - wall[0];
  if (distance > 0.0) {
    for (int r = 0; r < 3; r++) gradient[r] = p[r] / distance;
  } else {
    gradient[0] = 1.0, gradient[1] = 0.0, gradient[2] = 0.0;
  }
  int count = (int)wall[2];
  for (int k = 0; k < count; k++) {
    double tunnel[3];
    double s = tunnel_distance(wall + 3 + OPENING_VALUES * k, p, tunnel);
    if (s < best) {
      best = s;
      for (int r = 0; r < 3; r++) gradient[r] = tunnel[r];
    }
  }
  return best;
}

/* Whether a tunnel's distance can be the smaller one anywhere on a rim of radius rim around
 * end (analytic_wall._tunnel_may_reach). */
static int tunnel_may_reach(const mjtNum* wall, const double end[3], double rim) {
  double sphere = sqrt(end[0] * end[0] + end[1] * end[1] + end[2] * end[2]) - wall[0];
  double gradient[3];
  int count = (int)wall[2];
  for (int k = 0; k < count; k++) {
    if (tunnel_distance(wall + 3 + OPENING_VALUES * k, end, gradient) - rim <= sphere + rim) {
      return 1;
    }
  }
  return 0;
}

static void rim_point(const double end[3], const mjtNum* rot, double rim, double angle,
                      double out[3]) {
  double c = cos(angle), s = sin(angle);
  for (int r = 0; r < 3; r++) out[r] = end[r] + rim * (c * rot[3 * r] + s * rot[3 * r + 1]);
}

static double rim_depth(const mjtNum* wall, const double end[3], const mjtNum* rot, double rim,
                        double angle) {
  double p[3], gradient[3];
  rim_point(end, rot, rim, angle, p);
  return signed_distance(wall, p, gradient);
}

/* The point of a cylinder's rim deepest into the wall: sampled, then refined by golden-section
 * search (analytic_wall._rim_deepest). */
static void rim_deepest(const mjtNum* wall, const double end[3], const mjtNum* rot, double rim,
                        double out[3]) {
  const double golden = (sqrt(5.0) - 1.0) / 2.0;
  double step = 2.0 * 3.14159265358979323846 / RIM_SAMPLES; /* math.pi */
  int best = 0;
  double best_depth = rim_depth(wall, end, rot, rim, 0.0);
  for (int k = 1; k < RIM_SAMPLES; k++) {
    double depth = rim_depth(wall, end, rot, rim, k * step);
    if (depth > best_depth) best = k, best_depth = depth;
  }
  double lo = best * step - step, hi = best * step + step;
  double a = hi - golden * (hi - lo), b = lo + golden * (hi - lo);
  double depth_a = rim_depth(wall, end, rot, rim, a), depth_b = rim_depth(wall, end, rot, rim, b);
  for (int i = 0; i < RIM_REFINE; i++) {
    if (depth_a >= depth_b) {
      hi = b, b = a, depth_b = depth_a;
      a = hi - golden * (hi - lo);
      depth_a = rim_depth(wall, end, rot, rim, a);
    } else {
      lo = a, a = b, depth_a = depth_b;
      b = lo + golden * (hi - lo);
      depth_b = rim_depth(wall, end, rot, rim, b);
    }
  }
  rim_point(end, rot, rim, 0.5 * (lo + hi), out);
}

/* Consider one candidate: a centre-line point plus a round radius. */
static void consider(const mjtNum* wall, int geom, const double c[3], double round, int* best_geom,
                     double best_point[3], double* best_depth, double best_normal[3]) {
  double gradient[3];
  double depth = signed_distance(wall, c, gradient) + round;
  if (depth > *best_depth) {
    *best_geom = geom;
    *best_depth = depth;
    for (int r = 0; r < 3; r++) {
      best_point[r] = c[r] + round * gradient[r];
      best_normal[r] = gradient[r];
    }
  }
}

/* The body's point deepest into the wall: geom (-1 if none), surface point, depth (< 0 when
 * clear of the wall) and the outward normal there (analytic_wall.deepest_point). */
static void deepest_point(const mjModel* m, const mjData* d, const mjtNum* wall, int body,
                          int* best_geom, double best_point[3], double* best_depth,
                          double best_normal[3]) {
  *best_geom = -1;
  *best_depth = -1e300;
  int start = m->body_geomadr[body];
  for (int geom = start; geom < start + m->body_geomnum[body]; geom++) {
    if (!marked(m, geom)) continue;
    const mjtNum* centre = d->geom_xpos + 3 * geom;
    /* nothing of a geom whose bounding sphere is inside the sphere wall can touch it */
    double reach = sqrt(centre[0] * centre[0] + centre[1] * centre[1] + centre[2] * centre[2]) +
                   m->geom_rbound[geom];
    if (reach < wall[0]) continue;
    const mjtNum* rot = d->geom_xmat + 9 * geom; /* row-major: column k is rot[k], rot[3+k].. */
    const mjtNum* size = m->geom_size + 3 * geom;
    double p[3];
    switch (m->geom_type[geom]) {
      case mjGEOM_SPHERE:
        consider(wall, geom, centre, size[0], best_geom, best_point, best_depth, best_normal);
        break;
      case mjGEOM_CAPSULE:
        for (int sign = -1; sign <= 1; sign += 2) {
          for (int r = 0; r < 3; r++) p[r] = centre[r] + sign * rot[3 * r + 2] * size[1];
          consider(wall, geom, p, size[0], best_geom, best_point, best_depth, best_normal);
        }
        break;
      case mjGEOM_BOX:
        for (int corner = 0; corner < 8; corner++) {
          double local[3] = {(corner & 1 ? 1 : -1) * size[0], (corner & 2 ? 1 : -1) * size[1],
                             (corner & 4 ? 1 : -1) * size[2]};
          for (int r = 0; r < 3; r++) {
            p[r] = centre[r] + rot[3 * r] * local[0] + rot[3 * r + 1] * local[1] +
                   rot[3 * r + 2] * local[2];
          }
          consider(wall, geom, p, 0.0, best_geom, best_point, best_depth, best_normal);
        }
        break;
      case mjGEOM_CYLINDER:
        for (int sign = -1; sign <= 1; sign += 2) {
          double axis[3] = {rot[2], rot[5], rot[8]};
          double end[3];
          for (int r = 0; r < 3; r++) end[r] = centre[r] + sign * axis[r] * size[1];
          double along = end[0] * axis[0] + end[1] * axis[1] + end[2] * axis[2];
          double radial[3] = {end[0] - along * axis[0], end[1] - along * axis[1],
                              end[2] - along * axis[2]};
          double length = sqrt(radial[0] * radial[0] + radial[1] * radial[1] + radial[2] * radial[2]);
          for (int r = 0; r < 3; r++) {
            p[r] = length > 0.0 ? end[r] + radial[r] / length * size[0]
                                : end[r] + rot[3 * r] * size[0];
          }
          consider(wall, geom, p, 0.0, best_geom, best_point, best_depth, best_normal);
          if ((int)wall[2] > 0 && tunnel_may_reach(wall, end, size[0])) {
            rim_deepest(wall, end, rot, size[0], p);
            consider(wall, geom, p, 0.0, best_geom, best_point, best_depth, best_normal);
          }
        }
        break;
      case mjGEOM_MESH: {
        int mesh = m->geom_dataid[geom];
        const float* vert = m->mesh_vert + 3 * m->mesh_vertadr[mesh];
        for (int v = 0; v < m->mesh_vertnum[mesh]; v++) {
          const float* l = vert + 3 * v;
          for (int r = 0; r < 3; r++) {
            p[r] = centre[r] + rot[3 * r] * l[0] + rot[3 * r + 1] * l[1] + rot[3 * r + 2] * l[2];
          }
          consider(wall, geom, p, 0.0, best_geom, best_point, best_depth, best_normal);
        }
        break;
      }
      default:
        break;
    }
  }
}

/* Append a wall touch to the report in d->userdata (layout in contact_forces.py). */
static void record_touch(mjData* d, int* touches, int geom, double f_n, const double point[3],
                         double depth) {
  if (*touches >= wall_slots) return;
  mjtNum* record = d->userdata + 1 + wall_record * *touches;
  record[0] = geom;
  record[1] = f_n;
  record[2] = point[0];
  record[3] = point[1];
  record[4] = point[2];
  record[5] = depth;
  *touches += 1;
  d->userdata[0] = *touches;
}

/* Whether any limited tendon (a tether) is within taut_margin of its longest. */
static int tether_taut(const mjModel* m, const mjData* d) {
  for (int t = 0; t < m->ntendon; t++) {
    if (m->tendon_limited[t] && d->ten_length[t] >= m->tendon_range[2 * t + 1] - taut_margin) {
      return 1;
    }
  }
  return 0;
}

static void apply_contact_forces(const mjModel* m, mjData* d) {
  if (m->nuser_geom < user_size || jac_function == NULL) return;
  /* the sticky "something touched" slot after the report (contact_forces.TOUCHED_SLOT) */
  int sticky = m->nuserdata > userdata_size;
  if (sticky && tether_taut(m, d)) d->userdata[userdata_size] = 1.0;
  const mjtNum* wall = sphere_wall(m);
  if (d->ncon == 0 && wall == NULL) return;
  int nv = m->nv;
  int report = m->nuserdata >= userdata_size;
  if (report) {
    for (int i = 0; i < userdata_size; i++) d->userdata[i] = 0.0;
  }
  if (sticky && d->ncon > 0) d->userdata[userdata_size] = 1.0;
  mjtNum* work = (mjtNum*)malloc(sizeof(mjtNum) * 8 * (size_t)(nv > 0 ? nv : 1));
  if (work == NULL) return;
  Scratch scratch = {work, work + 3 * nv, work + 6 * nv, work + 7 * nv};
  if (wall != NULL) {
    double wall_friction = wall[1];
    int touches = 0;
    for (int body = 1; body < m->nbody; body++) {
      int geom;
      double point[3], depth, outward[3];
      deepest_point(m, d, wall, body, &geom, point, &depth, outward);
      if (geom < 0 || !(depth > 0.0)) continue;
      double normal[3] = {-outward[0], -outward[1], -outward[2]};
      double mu = m->geom_friction[3 * geom];
      if (wall_friction > mu) mu = wall_friction;
      double zeta = m->geom_user[geom * m->nuser_geom + 1];
      double omega = m->geom_user[geom * m->nuser_geom + 2];
      double f_n = push(m, d, &scratch, 0, body, point, normal, depth, zeta, omega, mu);
      if (report) record_touch(d, &touches, geom, f_n, point, depth);
      if (sticky) d->userdata[userdata_size] = 1.0;
    }
  }
  for (int i = 0; i < d->ncon; i++) {
    const mjContact* contact = d->contact + i;
    if (!acts(m, d, i)) continue;
    int g1 = contact->geom[0], g2 = contact->geom[1];
    int b1 = m->geom_bodyid[g1], b2 = m->geom_bodyid[g2];
    double mu = m->geom_friction[3 * g1];
    if (m->geom_friction[3 * g2] > mu) mu = m->geom_friction[3 * g2];
    double omega1 = m->geom_user[g1 * m->nuser_geom + 2];
    double omega2 = m->geom_user[g2 * m->nuser_geom + 2];
    double f_n = push(m, d, &scratch, b1, b2, contact->pos, contact->frame, -contact->dist,
                      pair_zeta(m, g1, g2), omega1 > omega2 ? omega1 : omega2, mu);
    if (report && i < force_slots) d->userdata[forces_at + i] = f_n;
  }
  free(work);
}

static PyObject* configure(PyObject* self, PyObject* args) {
  unsigned long long jac_address, solve_address;
  if (!PyArg_ParseTuple(args, "KKdddddiiii", &jac_address, &solve_address, &marker,
                        &taut_margin, &duration_steps, &friction_rate, &damping_rate, &wall_slots,
                        &wall_record, &forces_at, &force_slots)) {
    return NULL;
  }
  userdata_size = forces_at + force_slots;
  jac_function = (JacFunction)(uintptr_t)jac_address;
  solve_function = (SolveFunction)(uintptr_t)solve_address;
  Py_RETURN_NONE;
}

/* measure_wall(model_address, data_address): the wall touches of the current kinematics,
 * reported in userdata without applying any force. */
static PyObject* measure_wall(PyObject* self, PyObject* args) {
  unsigned long long model_address, data_address;
  if (!PyArg_ParseTuple(args, "KK", &model_address, &data_address)) return NULL;
  const mjModel* m = (const mjModel*)(uintptr_t)model_address;
  mjData* d = (mjData*)(uintptr_t)data_address;
  if (m->nuserdata < userdata_size) Py_RETURN_NONE;
  d->userdata[0] = 0.0;
  const mjtNum* wall = sphere_wall(m);
  if (wall == NULL || m->nuser_geom < user_size) Py_RETURN_NONE;
  int touches = 0;
  for (int body = 1; body < m->nbody; body++) {
    int geom;
    double point[3], depth, outward[3];
    deepest_point(m, d, wall, body, &geom, point, &depth, outward);
    if (geom >= 0 && depth > 0.0) record_touch(d, &touches, geom, 0.0, point, depth);
  }
  Py_RETURN_NONE;
}

static PyObject* callback_address(PyObject* self, PyObject* unused) {
  return PyLong_FromVoidPtr((void*)&apply_contact_forces);
}

static PyObject* header_version(PyObject* self, PyObject* unused) {
  return PyLong_FromLong(mjVERSION_HEADER);
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(mj_jac, mj_solveM, marker, taut_margin, duration_steps, friction_rate, damping_rate, "
     "wall_slots, wall_record, forces_at, force_slots): MuJoCo function addresses and the model's constants."},
    {"measure_wall", measure_wall, METH_VARARGS,
     "measure_wall(model_address, data_address): report the wall touches, no forces."},
    {"callback_address", callback_address, METH_NOARGS,
     "Address of the passive-force callback (a mjfGeneric)."},
    {"header_version", header_version, METH_NOARGS,
     "mjVERSION_HEADER of the MuJoCo headers this library was built with."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_contact_forces",
    "Contact forces in newtons as MuJoCo's passive-force callback (native).", -1, methods,
};

PyMODINIT_FUNC PyInit__contact_forces(void) { return PyModule_Create(&module); }
