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
    if (Math.abs(v) >= 1e12) return unit + " " + (v / 1e12).toFixed(2) + "tn";
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
  if (!r.ok) { const e = new Error(body.detail || r.statusText); e.status = r.status; throw e; }
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
  $("#detail-followons tbody").replaceChildren();
  $("#detail-followons-note").textContent = "";
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
  await renderFollowons(p.code);

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

// -- follow-on offerings on the IPO page (GET /api/followons/{code}) ---------------------------------------------
const num = (x) => (x && typeof x === "object" && !Array.isArray(x) ? x.value : x);  // a value object or a bare number

async function renderFollowons(code) {
  const tb = $("#detail-followons tbody"), note = $("#detail-followons-note");
  tb.replaceChildren();
  let data;
  try {
    data = await api("/api/followons/" + encodeURIComponent(code));
  } catch (e) {
    if (e.status !== 404) throw e;
    data = { offerings: [] };  // no follow-on use case or none for this listing: both read "none"
  }
  for (const o of data.offerings || []) {
    const ccy = o.currency || (o.price && o.price.currency) || null;
    const flags = Array.isArray(o.flags) ? o.flags.map((f) => (typeof f === "object" ? f.message || f.code || JSON.stringify(f) : f)).join("; ") : (o.flags || "");
    const src = typeof o.source === "object" && o.source ? o.source.id || o.source.title : o.source;
    tb.append(el("tr", { "data-key": o.key || "" }, el("td", { text: (o.type || "").replaceAll("_", " ") }),
      el("td", { text: o.announced || "" }), cell(num(o.price), ccy, "num"), cell(num(o.shares), null, "num"),
      cell(num(o.discount_to_last_close), "pct", "num"), cell(num(o.discount_to_benchmark), "pct", "num"),
      cell(num(o.dilution), "pct", "num"), cell(num(o.pct_existing), "pct", "num"), cell(num(o.pct_enlarged), "pct", "num"),
      el("td", { class: flags ? "flag" : "", text: flags }), el("td", { text: src || "" })));
  }
  note.textContent = tb.children.length ? "" : "No follow-on offerings on file for this listing.";
}

// -- pipeline: deals before listing, their stage and every valuation claim (GET /api/pipeline, /api/deal/{name}) -
function moneyText(o) {
  if (!o) return null;
  const v = fmt(o.value, o.currency) ?? "not on file";
  const hi = o.value_high != null && o.value_high !== o.value ? " – " + fmt(o.value_high, o.currency) : "";
  const q = o.qualifier && !["exact", "range"].includes(o.qualifier) ? " (" + o.qualifier.replaceAll("_", " ") + ")" : "";
  return v + hi + q;
}

function rangeText(r) {
  if (!r || (r.low == null && r.high == null)) return null;
  return r.low === r.high || r.high == null ? fmt(r.low, r.currency) : fmt(r.low, r.currency) + " – " + fmt(r.high, r.currency);
}

function sourceCode(id, sources) {
  const s = (sources || {})[id] || {};
  return el("code", { text: id || "no source", title: [s.title, s.publisher, s.published].filter(Boolean).join(" · ") });
}

// The sources a page cites, described from the result's `sources` ({id: {title, publisher, published, url}}).
function sourceList(ul, ids, sources) {
  ul.replaceChildren(...[...new Set(ids.filter(Boolean))].sort().map((id) => {
    const s = (sources || {})[id] || {};
    return el("li", { "data-source": id }, el("code", { text: id }),
      " " + ([s.title, s.publisher, s.published || s.date_note].filter(Boolean).join(" · ") || "not described in the ledger"),
      ...(s.url ? [" ", el("a", { href: s.url, rel: "noreferrer", text: s.url })] : []));
  }));
}

function dealSourceIds(d) {
  return [...(d.stages || []).map((s) => s.source), ...(d.valuations || []).map((v) => v.source), (d.raise || {}).source];
}

// Each claim on its own line with kind, date and source: claims are kept side by side, never merged.
function claimList(valuations, sources) {
  if (!valuations || !valuations.length) return missing();
  const ul = el("ul", { class: "claims" });
  for (const c of valuations) {
    const li = el("li", { "data-kind": c.kind || "" }, el("strong", { text: moneyText(c) || "not on file" }),
      " " + [c.kind, c.as_of || "undated"].filter(Boolean).join(" · ") + " · ", sourceCode(c.source, sources));
    if (!c.as_of && c.date_note) li.title = c.date_note;
    if (c.quote) li.append(el("br"), el("span", { class: "muted", text: "“" + c.quote + "”" }));
    ul.append(li);
  }
  return ul;
}

function textCell(v) { const td = el("td"); if (v === null || v === undefined || v === "") td.append(missing()); else td.textContent = String(v); return td; }

async function renderPipeline() {
  const m = $("#pipeline-market").value, st = $("#pipeline-stage").value.trim();
  const qs = [m ? "market=" + encodeURIComponent(m) : "", st ? "stage=" + encodeURIComponent(st) : ""].filter(Boolean).join("&");
  const tb = $("#pipeline-table tbody");
  tb.replaceChildren();
  let data;
  try {
    data = await api("/api/pipeline" + (qs ? "?" + qs : ""));
  } catch (e) {
    if (e.status !== 404) throw e;
    $("#pipeline-count").textContent = "The pipeline is not available on this server.";
    return;
  }
  for (const d of data.deals || []) {
    const tr = el("tr", { "data-deal": d.name }, el("td", { text: d.name }), el("td", { text: d.market || "" }),
      textCell(d.code), el("td", { text: (d.stage || "").replaceAll("_", " ") }), textCell(d.stage_date), textCell(d.next_step),
      textCell(rangeText(d.price_range)), textCell(moneyText(d.raise)), el("td", {}, claimList(d.valuations, data.sources)));
    tr.addEventListener("click", () => { location.hash = "#/deal/" + encodeURIComponent(d.name); });
    tb.append(tr);
  }
  $("#pipeline-count").textContent = (data.deals || []).length + " deals";
  sourceList($("#pipeline-sources"), (data.deals || []).flatMap(dealSourceIds), data.sources);
}

async function renderDeal(name) {
  for (const id of ["#deal-stages tbody", "#deal-valuations tbody"]) $(id).replaceChildren();
  $("#deal-title").textContent = "";
  $("#deal-sub").textContent = "";
  $("#deal-sources").replaceChildren();
  const body = await api("/api/deal/" + encodeURIComponent(name));
  const d = body.deal || body;  // {deal, on, sources}; a bare deal object reads the same
  $("#deal-title").textContent = d.name + (d.code ? " (" + d.code + ")" : "");
  $("#deal-sub").textContent = [d.market, (d.stage || "").replaceAll("_", " ") + (d.stage_date ? " since " + d.stage_date : ""),
    d.next_step ? "next: " + d.next_step : "", rangeText(d.price_range) ? "range " + rangeText(d.price_range) : "",
    d.raise ? "raise " + moneyText(d.raise) : ""].filter(Boolean).join(" · ");
  for (const s of d.stages || []) {
    $("#deal-stages tbody").append(el("tr", { "data-stage": s.stage }, el("td", { text: s.date || "" }),
      el("td", { text: (s.stage || "").replaceAll("_", " ") }), el("td", { text: s.source || "" }), textCell(s.doc_ref)));
  }
  for (const c of d.valuations || []) {
    $("#deal-valuations tbody").append(el("tr", { "data-kind": c.kind || "" }, el("td", { text: moneyText(c) || "" }),
      el("td", { text: c.kind || "" }), textCell(c.as_of || c.date_note), el("td", { text: c.qualifier || "" }),
      el("td", { text: c.source || "" }), el("td", { class: "muted", text: c.quote ? "“" + c.quote + "”" : "" })));
  }
  sourceList($("#deal-sources"), dealSourceIds(d), body.sources);
  if (!(d.valuations || []).length) $("#deal-valuations tbody").append(el("tr", {}, el("td", { colspan: "6", class: "muted", text: "no valuation claims on file" })));
}

// -- calendar (GET /api/calendar) --------------------------------------------------------------------------------
function hashParams(h) { return new URLSearchParams(h.includes("?") ? h.slice(h.indexOf("?") + 1) : ""); }

function dayFlag(e) {
  if (e.trading_day === true) return el("td", { text: "yes" });
  return el("td", { class: e.trading_day === false ? "flag" : "muted",
    text: (e.trading_day === false ? "NO: " : "unknown: ") + (e.calendar_note || "") });
}

// lottery rates are small percentages (0.036%): four significant digits, trailing zeros dropped
function rateText(o) {
  if (!o) return null;
  const s = Number(o.value).toPrecision(4);
  return (s.includes(".") && !s.includes("e") ? s.replace(/\.?0+$/, "") : s) + "%";
}

async function renderCalendar(h) {
  const p = hashParams(h);
  const today = new Date().toISOString().slice(0, 10);
  $("#cal-from").value = p.get("from") || $("#cal-from").value || today.slice(0, 8) + "01";
  $("#cal-to").value = p.get("to") || $("#cal-to").value || "";
  $("#cal-market").value = p.get("market") || "";
  const qs = new URLSearchParams({ from: $("#cal-from").value });
  if ($("#cal-to").value) qs.set("to", $("#cal-to").value);
  if ($("#cal-market").value) qs.set("market", $("#cal-market").value);
  const tb = $("#calendar-table tbody"), ab = $("#calendar-ashare tbody");
  tb.replaceChildren();
  ab.replaceChildren();
  const data = await api("/api/calendar?" + qs.toString());
  $("#cal-to").value = data.to;
  const seen = new Set();
  for (const e of data.events) {
    tb.append(el("tr", { "data-event": e.event, "data-code": e.code || "", "data-date": e.date },
      el("td", { text: e.date }), el("td", { text: e.event.replaceAll("_", " ") }), el("td", { text: e.market || "" }),
      textCell(e.code), el("td", { text: e.deal || "" }), textCell(moneyText(e.offer_price)), dayFlag(e),
      el("td", { text: e.source || "" })));
    if ("subscription_code" in e && !seen.has(e.key || e.deal)) {
      seen.add(e.key || e.deal);
      const v = (o, unit) => textCell(o ? fmt(o.value, unit || o.currency) : null);
      ab.append(el("tr", { "data-code": e.code || "" }, el("td", { text: e.date }), textCell(e.code), el("td", { text: e.deal || "" }),
        textCell(e.subscription_code && e.subscription_code.value), v(e.subscription_limit_shares), v(e.subscription_min_market_value),
        v(e.issue_pe, "x"), v(e.industry_pe, "x"), v(e.issue_pe_vs_industry_pct, "pct"), textCell(rateText(e.lottery_rate))));
    }
  }
  if (!data.events.length) tb.append(el("tr", {}, el("td", { colspan: "8", class: "muted", text: "no events in this window" })));
  $("#calendar-ashare-box").hidden = !ab.children.length;
  $("#calendar-count").textContent = `${data.events.length} events, ${data.flagged} not on a trading day; checked on ` +
    (Object.entries(data.calendars).map(([m, c]) => m + " " + c).join(", ") || "—");
  $("#calendar-notes").textContent = (data.notes || []).join(" ");
}

function calendarHash() {
  const qs = new URLSearchParams({ from: $("#cal-from").value });
  if ($("#cal-to").value) qs.set("to", $("#cal-to").value);
  if ($("#cal-market").value) qs.set("market", $("#cal-market").value);
  location.hash = "#/calendar?" + qs.toString();
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
    } else if (h.startsWith("#/pipeline")) {
      show("pipeline");
      await renderPipeline();
    } else if (h.startsWith("#/deal/")) {
      show("deal");
      await renderDeal(decodeURIComponent(h.slice(7)));
    } else if (h.startsWith("#/calendar")) {
      show("calendar");
      await renderCalendar(h);
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
for (const id of ["#pipeline-market", "#pipeline-stage"]) $(id).addEventListener("change", () => renderPipeline().catch((e) => showError(e.message)));
for (const id of ["#cal-from", "#cal-to", "#cal-market"]) $(id).addEventListener("change", calendarHash);
window.addEventListener("hashchange", route);
route();
