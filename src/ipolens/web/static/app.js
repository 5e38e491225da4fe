// ipolens dashboard: a hash-routed page over the JSON API. No framework, no network beyond this server.
"use strict";

const state = { rows: [], sort: { col: "listing_date", desc: true }, loaded: false };
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c));
  return e;
}

function missing() { return el("span", { class: "missing", text: "not on file" }); }

function fmt(v, unit) {
  if (v === null || v === undefined || (typeof v === "number" && !isFinite(v))) return null;
  if (typeof v !== "number") return String(v);
  if (unit === "pct") return v.toFixed(2) + "%";
  if (unit === "x") return v.toLocaleString("en", { maximumFractionDigits: 2 }) + "x";
  if (["HKD", "CNY", "USD"].includes(unit)) {
    if (Math.abs(v) >= 1e9) return unit + " " + (v / 1e9).toFixed(2) + "bn";
    if (Math.abs(v) >= 1e6) return unit + " " + (v / 1e6).toFixed(1) + "m";
    return unit + " " + v.toLocaleString("en", { maximumFractionDigits: 2 });
  }
  return v.toLocaleString("en", { maximumFractionDigits: 4 });
}

function cell(v, unit, cls, signed) {
  const td = el("td", cls ? { class: cls } : {});
  const s = fmt(v, unit);
  if (s === null) td.append(missing()); else td.textContent = s;
  if (signed && typeof v === "number") td.classList.add(v > 0 ? "pos" : v < 0 ? "neg" : "flat");
  return td;
}

async function api(path) {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error(body.detail || r.statusText);
  return body;
}

function showError(msg) { const e = $("#error"); e.textContent = msg; e.hidden = !msg; }

function show(view) {
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== "view-" + view;
}

// -- IPO table --------------------------------------------------------------------------------------------------
async function loadIpos() {
  if (state.loaded) return;
  const data = await api("/api/ipos?limit=5000");
  state.rows = data.rows;
  state.loaded = true;
  const years = [...new Set(state.rows.map((r) => (r.listing_date || "").slice(0, 4)).filter(Boolean))].sort().reverse();
  for (const sel of ["#filter-year", "#stats-year"]) {
    for (const y of years) $(sel).append(el("option", { value: y, text: y }));
  }
}

function filtered() {
  const m = $("#filter-market").value, y = $("#filter-year").value, q = $("#filter-q").value.trim().toLowerCase();
  const only = $("#filter-ipos-only").checked;
  let rows = state.rows.filter((r) => (!m || r.market === m) && (!y || (r.listing_date || "").startsWith(y))
    && (!only || r.counts_as_ipo !== 0)
    && (!q || [r.code, r.name_en, r.name_zh].some((s) => (s || "").toLowerCase().includes(q))));
  const { col, desc } = state.sort;
  rows = rows.slice().sort((a, b) => {
    const x = a[col], z = b[col];
    if (x === null || x === undefined) return 1;
    if (z === null || z === undefined) return -1;
    const c = typeof x === "number" ? x - z : String(x).localeCompare(String(z));
    return desc ? -c : c;
  });
  return rows;
}

function renderTable() {
  const rows = filtered();
  const tb = $("#ipo-table tbody");
  tb.replaceChildren();
  for (const r of rows.slice(0, 1000)) {
    const tr = el("tr", { "data-code": r.code });
    tr.append(el("td", { text: r.code }), el("td", { text: r.name_en || r.name_zh || "" }),
      el("td", { text: r.market || "" }), el("td", { text: r.listing_date || "" }), el("td", { text: r.route || "" }),
      cell(r.offer_price, r.currency || null, "num"), cell(r.oversubscription_public, "x", "num"),
      cell(r.first_day_return, "pct", "num", true), cell(r.market_cap, r.currency || "HKD", "num"));
    tr.addEventListener("click", () => { location.hash = "#/ipo/" + encodeURIComponent(r.code); });
    tb.append(tr);
  }
  $("#ipo-count").textContent = rows.length + " listings";
  for (const th of document.querySelectorAll("#ipo-table th")) {
    th.classList.toggle("sorted-asc", th.dataset.col === state.sort.col && !state.sort.desc);
    th.classList.toggle("sorted-desc", th.dataset.col === state.sort.col && state.sort.desc);
  }
}

// -- IPO detail -------------------------------------------------------------------------------------------------
function v(section, field) {
  const f = section && section[field];
  return f && typeof f === "object" ? f : null;
}

function sourceText(f) {
  if (!f) return "";
  if (f.basis === "derived" || f.source === "derived") return "derived: " + ((f.derivation || {}).formula || "");
  const by = f.basis === "derived_by_source" ? " · derived by the source: " + ((f.derivation || {}).formula || "") : "";
  const re = f.recomputed ? " · recomputed " + fmt(f.recomputed.value, f.unit) + " = " +
    ((f.recomputed.derivation || {}).formula || "") + ": differs" : "";
  return "source: " + (f.source || "?") + (f.as_of ? " · " + f.as_of : "") + by + re;
}

function card(id, f, unit) {
  const s = f ? fmt(f.value, unit || f.currency || f.unit) : null;
  const box = $("#" + id);
  box.replaceChildren(s === null ? missing() : document.createTextNode(s));
  $("#" + id + "-source").textContent = sourceText(f);
}

// Empty every part of the detail view, so a failed lookup never leaves the previous company's numbers on screen.
function clearDetail() {
  $("#detail-title").textContent = "";
  $("#detail-sub").textContent = "";
  for (const id of ["detail-offer-price", "detail-fdr", "detail-subs", "detail-mcap"]) {
    $("#" + id).textContent = "—";
    $("#" + id + "-source").textContent = "";
  }
  delete $("#detail-offer-price").dataset.value;
  $("#detail-facts tbody").replaceChildren();
  $("#detail-conflicts tbody").replaceChildren();
  $("#detail-sources").replaceChildren();
  $("#detail-report").href = "#";
  for (const id of ["detail-chart", "detail-fund-chart"]) { Plotly.purge(id); $("#" + id).replaceChildren(); }
}

const MONEY = ["HKD", "CNY", "USD"];

// One side of a conflict with its currency or unit; a cross-currency B also shows its converted range and the FX.
function conflictValue(c, side) {
  const ccy = c["currency_" + side] || (MONEY.includes(c.unit) ? c.unit : null);
  const unit = ccy || (c.unit === "pct" || c.unit === "x" ? c.unit : null);
  let s = fmt(c["value_" + side], unit) ?? "not on file";
  const to = c.currency_a || c.unit;
  if (side === "b" && c.value_b_converted_lo != null && MONEY.includes(to)) {
    const lo = fmt(c.value_b_converted_lo, to), hi = fmt(c.value_b_converted_hi, to);
    const r = (x) => (x == null ? "?" : x.toLocaleString("en", { maximumFractionDigits: 4 }));
    const rate = c.fx_rate_lo === c.fx_rate_hi ? r(c.fx_rate_lo) : r(c.fx_rate_lo) + "–" + r(c.fx_rate_hi);
    s += ` ≈ ${lo === hi ? lo : lo + "–" + hi} (1 ${ccy} = ${rate} ${to}` +
      `${c.fx_dates ? ", " + c.fx_dates : ""}${c.fx_source ? ", " + c.fx_source : ""})`;
  }
  return s;
}

async function renderDetail(code) {
  clearDetail();
  const p = await api("/api/ipos/" + encodeURIComponent(code));
  const deal = p.deal || {}, fd = p.first_day || {}, val = p.valuation || {};
  $("#detail-title").textContent = (p.name_en || "") + (p.name_zh ? " " + p.name_zh : "") + " (" + p.code + ")";
  $("#detail-sub").textContent = [p.market, (v(deal, "route") || {}).value, (v(deal, "listing_date") || {}).value]
    .filter(Boolean).join(" · ");
  card("detail-offer-price", v(deal, "offer_price"));
  $("#detail-offer-price").dataset.value = (v(deal, "offer_price") || {}).value ?? "";
  card("detail-fdr", v(fd, "first_day_return"), "pct");
  card("detail-subs", v(deal, "oversubscription_public"), "x");
  card("detail-mcap", v(val, "market_cap"));

  const tb = $("#detail-facts tbody");
  tb.replaceChildren();
  for (const [name, section] of [["deal", deal], ["first_day", fd], ["valuation", val]]) {
    for (const [field, f] of Object.entries(section)) {
      if (!f || typeof f !== "object" || Array.isArray(f)) continue;
      const src = el("td", { text: sourceText(f) });
      if (f.quote) src.append(el("br"), el("span", { class: "muted", text: "“" + f.quote + "”" }));
      tb.append(el("tr", { "data-field": field }, el("td", { text: field.replaceAll("_", " ") }),
        cell(f.value, f.unit === "pct" || f.unit === "x" ? f.unit : (f.currency || null), "num", field.includes("return")),
        el("td", { text: f.qualifier || "" }), el("td", { text: f.as_of || "" }), src));
    }
  }
  const cb = $("#detail-conflicts tbody");
  cb.replaceChildren();
  for (const c of p.conflicts || []) {
    cb.append(el("tr", { "data-field": c.field }, el("td", { text: c.field }),
      el("td", { text: `${conflictValue(c, "a")} ${c.qualifier_a && c.qualifier_a !== "exact" ? c.qualifier_a + " " : ""}(${c.source_a})` }),
      el("td", { text: `${conflictValue(c, "b")} ${c.qualifier_b && c.qualifier_b !== "exact" ? c.qualifier_b + " " : ""}(${c.source_b})` })));
  }
  if (!cb.children.length) cb.append(el("tr", {}, el("td", { colspan: "3", class: "muted", text: "none recorded" })));
  const ul = $("#detail-sources");
  const srcs = Array.isArray(p.sources) ? p.sources.map((id) => [id, {}]) : Object.entries(p.sources || {});
  ul.replaceChildren(...srcs.map(([id, s]) => el("li", { "data-source": id }, el("code", { text: id }),
    " " + [s.title, s.publisher, s.published || s.date_note, s.licence].filter(Boolean).join(" · "),
    ...(s.url ? [" ", el("a", { href: s.url, rel: "noreferrer", text: s.url })] : []))));
  $("#detail-report").href = "/report/" + encodeURIComponent(p.code);

  // Chart 1: offer, open and close as reported (a missing price is left out, not drawn as zero).
  const names = [], ys = [];
  for (const [label, f] of [["offer", v(deal, "offer_price")], ["open", v(fd, "open_price")], ["close", v(fd, "close_price")]]) {
    if (f && typeof f.value === "number") { names.push(label); ys.push(f.value); }
  }
  const layout = { margin: { t: 40, l: 50, r: 20, b: 40 }, height: 340 };
  await Plotly.newPlot("detail-chart", [{ type: "bar", x: names, y: ys, text: ys.map((y) => y.toFixed(2)), textposition: "outside",
    marker: { color: ["#5b7fa6", "#d08c2b", "#2f8f5b"] } }],
  { ...layout, title: { text: "Offer, open and close (" + ((v(deal, "offer_price") || {}).currency || "") + ")" } },
  { displaylogo: false, responsive: true });

  // Chart 2: revenue and R&D by fiscal period from the financials endpoint.
  const fin = await api("/api/ipos/" + encodeURIComponent(p.code) + "/financials");
  // FY2024 sorts after 2024H1 and before 2025H1.
  const key = (p) => { const m = /^FY(\d{4})$/.exec(p); return m ? +m[1] * 10 + 3 : +p.slice(0, 4) * 10 + +p.slice(5); };
  const periods = fin.rows.filter((r) => /^(FY\d{4}|\d{4}H[12])$/.test(r.period || "") && (r.revenue !== null || r.rd_expense !== null))
    .sort((a, b) => key(a.period) - key(b.period));
  const fc = $("#detail-fund-chart");
  if (periods.length) {
    const ccy = periods[periods.length - 1].currency || "";
    const x = periods.map((r) => r.period);
    const trace = (k, name) => ({ type: "bar", name, x, y: periods.map((r) => (r[k] === null ? null : r[k] / 1e6)) });
    await Plotly.newPlot(fc, [trace("revenue", "revenue"), trace("rd_expense", "R&D expense"), trace("adjusted_net_loss", "adjusted net loss")],
      { ...layout, barmode: "group", title: { text: "Fundamentals (" + ccy + " m)" } }, { displaylogo: false, responsive: true });
  } else {
    Plotly.purge(fc);
    fc.replaceChildren(el("p", { class: "missing", text: "No financial periods on file." }));
  }
}

// -- market stats -----------------------------------------------------------------------------------------------
function statRows(tbody, groups, key) {
  tbody.replaceChildren();
  for (const g of groups) {
    tbody.append(el("tr", {}, el("td", { text: String(g[key]) }), cell(g.count, null, "num"), cell(g.mean, "pct", "num"),
      cell(g.median, "pct", "num"), cell(g.pct_positive, "pct", "num"), cell(g.pct_broken, "pct", "num")));
  }
}

async function renderStats() {
  const m = $("#stats-market").value, y = $("#stats-year").value;
  const qs = (by) => "/api/stats?by=" + by + (m ? "&market=" + m : "") + (y ? "&year=" + y : "");
  const [band, route, year, sponsor] = await Promise.all([api(qs("band")), api(qs("route")), api(qs("year")), api(qs("sponsor"))]);
  statRows($("#stats-band tbody"), band.groups, "band");
  statRows($("#stats-route tbody"), route.groups, "route");
  $("#stats-band-note").textContent = `${band.ipos_banded} IPOs banded (${band.ipos_with_multiple} with a multiple, ` +
    `${band.ipos_flagged_undersubscribed_without_multiple} flagged under-subscribed). ${band.note}`;
  const sb = $("#stats-sponsor tbody");
  sb.replaceChildren();
  for (const s of sponsor.groups.slice(0, 15)) {
    sb.append(el("tr", {}, el("td", { text: s.sponsor }), cell(s.ipos, null, "num"), cell(s.mean, "pct", "num"), cell(s.pct_broken, "pct", "num")));
  }
  const layout = { margin: { t: 40, l: 50, r: 20, b: 40 }, height: 340 };
  await Plotly.newPlot("stats-band-chart", [{ type: "bar", x: band.groups.map((g) => g.band), y: band.groups.map((g) => g.mean),
    text: band.groups.map((g) => "n=" + g.count), textposition: "outside", marker: { color: "#d08c2b" } }],
  { ...layout, title: { text: "Mean first-day return by public subscription band (%)" } }, { displaylogo: false, responsive: true });
  await Plotly.newPlot("stats-year-chart", [
    { type: "bar", name: "mean", x: year.groups.map((g) => String(g.year)), y: year.groups.map((g) => g.mean) },
    { type: "bar", name: "median", x: year.groups.map((g) => String(g.year)), y: year.groups.map((g) => g.median) }],
  { ...layout, barmode: "group", xaxis: { type: "category" }, title: { text: "First-day return by listing year (%)" } }, { displaylogo: false, responsive: true });
}

// -- routing ----------------------------------------------------------------------------------------------------
async function route() {
  showError("");
  const h = location.hash || "#/ipos";
  try {
    await loadIpos();
    if (h.startsWith("#/ipo/")) {
      show("detail");
      await renderDetail(decodeURIComponent(h.slice(6)));
    } else if (h.startsWith("#/stats")) {
      show("stats");
      await renderStats();
    } else {
      show("ipos");
      renderTable();
    }
    document.body.dataset.ready = h;
  } catch (e) {
    showError(String(e.message || e));
  }
}

for (const id of ["#filter-market", "#filter-year", "#filter-q", "#filter-ipos-only"]) {
  $(id).addEventListener("input", renderTable);
  $(id).addEventListener("change", renderTable);
}
for (const id of ["#stats-market", "#stats-year"]) $(id).addEventListener("change", () => renderStats().catch((e) => showError(e.message)));
for (const th of document.querySelectorAll("#ipo-table th")) {
  th.addEventListener("click", () => {
    const col = th.dataset.col;
    state.sort = { col, desc: state.sort.col === col ? !state.sort.desc : false };
    renderTable();
  });
}
window.addEventListener("hashchange", route);
route();
