"""static/js/rules.js in Chromium against the tables the Python rules are tested on
(test_rules_tables.py): the module is imported into a page with page.evaluate, no Node."""

from __future__ import annotations

import pytest

from hypertrophy.tests.rules_tables import table

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RUN = """async ([name, data]) => {
  const r = await import('/static/js/rules.js');
  const close = (a, b) => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-6);
  const bad = [];
  if (name === 'e1rm') for (const c of data.cases) {
    const got = r.e1rm(c.weight_kg, c.reps, c.formula);
    if (!close(got, c.e1rm)) bad.push([c, got]);
  }
  if (name === 'records') for (const c of data.cases) {
    const got = r.setRecords(c.prior, c.sets, c.formula);
    if (JSON.stringify(got) !== JSON.stringify(c.kinds)) bad.push([c.name, got]);
  }
  if (name === 'swap') {
    const rows = Object.fromEntries(data.catalog.map((x) => [x.slug, x]));
    for (const p of data.pairs) {
      const s = r.similarity(rows[p.a], rows[p.b]);
      if (s !== p.similarity || r.matchPercent(rows[p.a], s) !== p.match_percent) bad.push([p, s]);
    }
    for (const c of data.substitutes) {
      const got = r.substitutes(rows[c.exercise], data.catalog, { allowed: new Set(c.equipment), limit: c.limit }).map(([x]) => x.slug);
      if (JSON.stringify(got) !== JSON.stringify(c.substitutes)) bad.push([c, got]);
    }
  }
  if (name === 'navy') for (const c of data.cases) {
    const got = r.navy(c.input);
    if (c.error ? got.error !== c.error : !close(got.pct, c.pct)) bad.push([c, got]);
  }
  if (name === 'plates') for (const c of data.cases) {
    const got = r.plates(c.total, c.unit);
    if (got !== c.text) bad.push([c, got]);
  }
  if (name === 'superset') for (const c of data.cases) {
    const got = r.supersetLabel(c.current, new Set(c.used));
    if (got !== c.label) bad.push([c, got]);
  }
  if (name === 'picker') for (const c of data.cases) {
    const got = r.rankExercises(data.catalog, c.query, { stars: new Set(c.stars), recent: c.recent }).map((e) => e.slug);
    if (JSON.stringify(got) !== JSON.stringify(c.order)) bad.push([c, got]);
  }
  return { checked: name, bad };
}"""


@pytest.mark.parametrize("name", ["e1rm", "records", "swap", "navy", "plates", "superset", "picker"])
def test_rules_module_matches_the_tables(live_server, browser_context, name):
    page = browser_context.new_page()
    page.goto(live_server.url + "/offline")
    data = table(name)
    assert data.get("cases") or data.get("pairs")
    result = page.evaluate(RUN, [name, data])
    assert result == {"checked": name, "bad": []}
