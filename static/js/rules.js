// The rules the pages need offline, without the DOM: e1RM, records, swap similarity, plates,
// U.S. Navy body fat, superset letters, the set grid's planned rows. Each mirrors its Python
// twin and both are checked against the same tables (hypertrophy/tests/tables/*.json).
export const KG_PER_LB = 0.45359237;
export const CM_PER_IN = 2.54;
export const EPS = 1e-9;

// ---- e1RM (workouts/progress/formulas.py) ---------------------------------------------------
export const ROUGH_ABOVE = 12;
export const E1RM = {
  epley: (w, r) => w * (1 + r / 30),
  brzycki: (w, r) => (r < 37 ? (w * 36) / (37 - r) : null),
  lombardi: (w, r) => w * r ** 0.1,
  oconner: (w, r) => w * (1 + r / 40),
  mayhew: (w, r) => (100 * w) / (52.2 + 41.9 * Math.exp(-0.055 * r)),
  wathen: (w, r) => (100 * w) / (48.8 + 53.8 * Math.exp(-0.075 * r)),
};

export function e1rm(weight, reps, formula = "epley") {
  const f = E1RM[formula] || E1RM.epley;
  if (weight == null || reps == null || reps < 1 || weight < 0) return null;
  return reps === 1 ? weight : f(weight, reps);
}

// ---- records (workouts/progress/records.py set_records) ---------------------------------------
const beats = (value, best) => value !== null && best !== null && value > best + EPS;
const maxOf = (a, b) => (a === null ? b : b === null ? a : Math.max(a, b));

// The record kinds each set sets, given the bests before them (null: no history, no records).
// prior: {weight, e1rm, volume, reps: [[kg, reps], …]}; sets: [{weight_kg, reps, set_type, skip}].
export function setRecords(prior, sets, formula = "epley") {
  if (!prior) return sets.map(() => []);
  let { weight = null, e1rm: best = null, volume = null, reps: front = [] } = prior;
  return sets.map((s) => {
    const kg = s.weight_kg, reps = s.reps;
    if (s.skip || s.set_type === "warmup" || !(kg >= 0) || !(reps >= 1)) return [];
    const est = reps > ROUGH_ABOVE ? null : e1rm(kg, reps, formula);
    const known = front.reduce((m, [w, r]) => (w >= kg - EPS ? Math.max(m, r) : m), -1);
    const kinds = [];
    if (beats(kg, weight)) kinds.push("weight");
    if (beats(est, best)) kinds.push("e1rm");
    if (known >= 0 && reps > known) kinds.push("reps");
    if (beats(kg * reps, volume)) kinds.push("volume");
    weight = maxOf(weight, kg);
    best = maxOf(best, est);
    volume = maxOf(volume, kg * reps);
    if (known < reps) front = front.filter(([w, r]) => !(w <= kg + EPS && r <= reps)).concat([[kg, reps]]);
    return kinds;
  });
}

// ---- swap similarity (workouts/plans/swap.py) -----------------------------------------------
export function similarity(a, b) {
  const ma = a.muscles || {}, mb = b.muscles || {};
  const dot = Object.keys(ma).reduce((sum, m) => sum + ma[m] * (mb[m] || 0), 0);
  const norm = Math.hypot(...Object.values(ma)) * Math.hypot(...Object.values(mb));
  let score = norm ? dot / norm : 0;
  if (a.pattern && a.pattern === b.pattern) score += 0.5;
  if (a.mechanics && a.mechanics === b.mechanics) score += 0.1;
  return Math.round(score * 10000) / 10000;
}

export function matchPercent(current, score) {
  const best = similarity(current, current);
  return best > 0 ? Math.min(100, Math.round((100 * score) / best)) : 0;
}

const EQUIPMENT_RANK = ["barbell", "dumbbell", "machine", "cable", "kettlebell", "bodyweight", "band", "other"];
const equipmentRank = (row) => {
  const i = EQUIPMENT_RANK.indexOf(row.equipment);
  return i < 0 ? EQUIPMENT_RANK.length : i;
};

// The best substitutes: [row, score] best first; `allowed` empty = any equipment.
export function substitutes(current, rows, { allowed = new Set(), exclude = new Set(), limit = 10 } = {}) {
  return rows
    .filter((row) => row.slug !== current.slug && !exclude.has(row.slug) && (!allowed.size || allowed.has(row.equipment)))
    .map((row) => [row, similarity(current, row)])
    .filter(([, score]) => score > 0.2)
    .sort((x, y) => y[1] - x[1]
      || (x[0].equipment !== current.equipment) - (y[0].equipment !== current.equipment)
      || equipmentRank(x[0]) - equipmentRank(y[0])
      || (x[0].slug < y[0].slug ? -1 : x[0].slug > y[0].slug ? 1 : 0))
    .slice(0, limit);
}

// ---- plates per side ------------------------------------------------------------------------
export const fmt = (n) => (n === null || n === undefined || n === "" ? "" : String(Math.round(Number(n) * 10) / 10));

export function plates(total, unit = "kg") {
  const bar = unit === "lb" ? 45 : 20;
  const sizes = unit === "lb" ? [45, 35, 25, 10, 5, 2.5] : [25, 20, 15, 10, 5, 2.5, 1.25];
  let side = (total - bar) / 2;
  if (!(side > 0)) return `Just the bar (${bar} ${unit})`;
  const used = [];
  for (const p of sizes) while (side >= p - 1e-9) { used.push(p); side -= p; }
  return `Each side: ${used.join(" + ")}${side > 1e-6 ? ` (+${fmt(side)} ${unit} short)` : ""}`;
}

// ---- U.S. Navy body fat, centimetre form (measurements/bodyfat.py) ------------------------------
export function navy({ sex, height_cm: h, neck_cm: n, waist_cm: w, hip_cm: hip }) {
  if (sex !== "male" && sex !== "female") return { error: "Set your sex in your profile to estimate body fat." };
  if (!h) return { error: "Set your height in your profile to estimate body fat." };
  if (n == null || w == null) return { error: "Neck and waist are needed to estimate body fat." };
  if (sex === "female" && hip == null) return { error: "Hip is needed to estimate body fat for women." };
  if (n >= w) return { error: "Neck must be smaller than waist to estimate body fat: check the measurements." };
  const pct = sex === "male"
    ? 86.010 * Math.log10(w - n) - 70.041 * Math.log10(h) + 30.30
    : 163.205 * Math.log10(w + hip - n) - 97.684 * Math.log10(h) - 104.912;
  if (!(pct >= 2 && pct <= 75)) return { error: "These measurements give an implausible body fat; check them." };
  return { pct };
}

// ---- superset letters (the card menu's "Superset with next") ---------------------------------------
export function supersetLabel(current, used) {
  return current || "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("").find((l) => !used.has(l)) || null;
}

// ---- the exercise picker's order ------------------------------------------------------------
// The lifts most lifters start with: first for a lifter without history, and among equals.
export const STAPLES = [
  "barbell-bench-press", "barbell-back-squat", "conventional-deadlift", "barbell-overhead-press", "barbell-row",
  "pull-up", "lat-pulldown", "dumbbell-bench-press", "romanian-deadlift", "leg-press", "seated-cable-row",
  "dumbbell-row", "incline-dumbbell-press", "dumbbell-shoulder-press", "dumbbell-lateral-raise", "dumbbell-curl",
  "barbell-curl", "cable-triceps-pushdown", "chin-up", "dip", "push-up", "hip-thrust", "leg-extension",
  "lying-leg-curl", "standing-calf-raise", "plank",
];

const words = (text) => text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

// How well one exercise answers the query: per query word, a whole word of the name (4) or of an
// alias (3), the start of a word of the name (2.5) or of an alias (2), anywhere (1); 0 = no match.
export function relevance(e, query) {
  const name = words(e.name), aliases = (e.aliases || []).flatMap(words);
  const hay = [e.name, ...(e.aliases || [])].join(" ").toLowerCase();
  let score = 0;
  for (const w of words(query)) {
    const level = name.includes(w) ? 4 : aliases.includes(w) ? 3 : name.some((t) => t.startsWith(w)) ? 2.5
      : aliases.some((t) => t.startsWith(w)) ? 2 : hay.includes(w) ? 1 : 0;
    if (!level) return 0;
    score += level;
  }
  return score || 0.5;
}

// The picker's list: matches by relevance, then starred, recent (in order), staples, by name.
export function rankExercises(pool, query, { stars = new Set(), recent = [], staples = STAPLES } = {}) {
  const at = (list, slug) => { const i = list.indexOf(slug); return i < 0 ? list.length : i; };
  return pool
    .map((e) => [e, relevance(e, query)])
    .filter(([, score]) => score > 0)
    .sort(([a, x], [b, y]) => y - x || stars.has(b.slug) - stars.has(a.slug) || at(recent, a.slug) - at(recent, b.slug)
      || at(staples, a.slug) - at(staples, b.slug) || a.name.localeCompare(b.name))
    .map(([e]) => e);
}
