// Market statistics: first-day returns by subscription band, route, listing year and sponsor (GET /api/stats).
"use strict";

function statRows(tbody, groups, key, label) {
  tbody.replaceChildren();
  for (const g of groups) {
    tbody.append(el("tr", {}, label ? el("td", { text: label(g[key]) }) : raw("td", String(g[key])), cell(g.count, "count", "num"),
      cell(g.mean, "pct", "num", true), cell(g.median, "pct", "num", true), cell(g.pct_positive, "pct", "num"), cell(g.pct_broken, "pct", "num")));
  }
}

// the four groupings load together; the page says so until the last one is in (they take seconds on a cold ledger)
async function renderStats() {
  const m = $("#stats-market").value, y = $("#stats-year").value;
  for (const id of ["#stats-band tbody", "#stats-route tbody", "#stats-sponsor tbody"]) $(id).replaceChildren();
  $("#stats-band-note").textContent = "";
  for (const id of ["stats-band-chart", "stats-year-chart"]) Plotly.purge(id);
  const qs = (by) => "/api/stats?by=" + by + (m ? "&market=" + m : "") + (y ? "&year=" + y : "");
  const [band, route, year, sponsor] = await loading("stats", () => Promise.all([api(qs("band")), api(qs("route")), api(qs("year")), api(qs("sponsor"))]));
  statRows($("#stats-band tbody"), band.groups, "band");
  statRows($("#stats-route tbody"), route.groups, "route");
  $("#stats-band-note").replaceChildren(T("dash.band_note", { banded: band.ipos_banded, multiple: band.ipos_with_multiple,
    flagged: band.ipos_flagged_undersubscribed_without_multiple }), " ", raw("span", band.note || ""));
  const sb = $("#stats-sponsor tbody");
  for (const s of sponsor.groups.slice(0, 15)) {
    sb.append(el("tr", {}, raw("td", s.sponsor), cell(s.ipos, "count", "num"), cell(s.mean, "pct", "num", true), cell(s.pct_broken, "pct", "num")));
  }
  await Plotly.newPlot("stats-band-chart", [{ type: "bar", x: band.groups.map((g) => g.band), y: band.groups.map((g) => g.mean),
    text: band.groups.map((g) => "n=" + g.count), textposition: "outside", marker: { color: band.groups.map((g) => upDown(g.mean)) } }],
  { ...layout(), title: { text: T("dash.chart_band") } }, plotConfig());
  await Plotly.newPlot("stats-year-chart", [
    { type: "bar", name: T("dash.mean"), x: year.groups.map((g) => String(g.year)), y: year.groups.map((g) => g.mean) },
    { type: "bar", name: T("dash.median"), x: year.groups.map((g) => String(g.year)), y: year.groups.map((g) => g.median) }],
  { ...layout(), barmode: "group", xaxis: { type: "category" }, title: { text: T("dash.chart_year") } }, plotConfig());
}
