// ipolens dashboard: a hash-routed page over the JSON API. No framework, no network beyond this server.
// Shared helpers are in core.js, the IPO table / market pages in pages/ipos.js, a listing in pages/detail.js and the
// statistics in pages/stats.js; this file holds follow-ons, the pipeline, the calendar, routing and the switches.
"use strict";
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
  note.textContent = tb.children.length ? "" : T("dash.no_followons");
}

// -- pipeline: deals before listing, their stage and every valuation claim (GET /api/pipeline, /api/deal/{name}) -
function moneyText(o) {
  if (!o) return null;
  const v = fmt(o.value, o.currency) ?? T("dash.not_on_file");
  const hi = o.value_high != null && o.value_high !== o.value ? " – " + fmt(o.value_high, o.currency) : "";
  const q = o.qualifier && !["exact", "range"].includes(o.qualifier) ? " (" + qualLabel(o.qualifier) + ")" : "";
  return v + hi + q;
}

function rangeText(r) {
  if (!r || (r.low == null && r.high == null)) return null;
  return r.low === r.high || r.high == null ? fmt(r.low, r.currency) : fmt(r.low, r.currency) + " – " + fmt(r.high, r.currency);
}

function sourceCode(id, sources) {
  const s = (sources || {})[id] || {};
  return el("code", { text: id || T("dash.no_source"), title: [s.title, s.publisher, s.published].filter(Boolean).join(" · ") });
}

// The sources a page cites, described from the result's `sources` ({id: {title, publisher, published, url}}).
function sourceList(ul, ids, sources) {
  ul.replaceChildren(...[...new Set(ids.filter(Boolean))].sort().map((id) => {
    const s = (sources || {})[id] || {};
    return el("li", { "data-source": id }, el("code", { text: id }),
      " " + ([s.title, s.publisher, s.published || s.date_note].filter(Boolean).join(" · ") || T("dash.not_described")),
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
    const li = el("li", { "data-kind": c.kind || "" }, el("strong", { text: moneyText(c) || T("dash.not_on_file") }),
      " " + [c.kind, c.as_of || T("dash.undated")].filter(Boolean).join(" · ") + " · ", sourceCode(c.source, sources));
    if (!c.as_of && c.date_note) li.title = c.date_note;
    if (c.quote) li.append(el("br"), el("span", { class: "muted", text: "“" + c.quote + "”" }));
    ul.append(li);
  }
  return ul;
}


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
    $("#pipeline-count").textContent = T("dash.pipeline_unavailable");
    return;
  }
  for (const d of data.deals || []) {
    const tr = el("tr", { "data-deal": d.name }, el("td", { text: d.name }), el("td", { text: d.market || "" }),
      textCell(d.code), vocab("td", "stage", d.stage), textCell(d.stage_date), textCell(d.next_step),
      textCell(rangeText(d.price_range)), textCell(moneyText(d.raise)), el("td", {}, claimList(d.valuations, data.sources)));
    tr.addEventListener("click", () => { location.hash = "#/deal/" + encodeURIComponent(d.name); });
    tb.append(tr);
  }
  $("#pipeline-count").textContent = T("dash.n_deals", { n: (data.deals || []).length });
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
  $("#deal-sub").textContent = [d.market, vocabText("stage", d.stage) + (d.stage_date ? " " + T("dash.since", { date: d.stage_date }) : ""),
    d.next_step ? T("dash.next_step") + ": " + d.next_step : "", rangeText(d.price_range) ? T("dash.price_range") + " " + rangeText(d.price_range) : "",
    d.raise ? T("dash.raise") + " " + moneyText(d.raise) : ""].filter(Boolean).join(" · ");
  for (const s of d.stages || []) {
    $("#deal-stages tbody").append(el("tr", { "data-stage": s.stage }, el("td", { text: s.date || "" }),
      vocab("td", "stage", s.stage), el("td", { text: s.source || "" }), textCell(s.doc_ref)));
  }
  for (const c of d.valuations || []) {
    $("#deal-valuations tbody").append(el("tr", { "data-kind": c.kind || "" }, el("td", { text: moneyText(c) || "" }),
      el("td", { text: c.kind || "" }), textCell(c.as_of || c.date_note), el("td", { text: qualLabel(c.qualifier) }),
      el("td", { text: c.source || "" }), el("td", { class: "muted", text: c.quote ? "“" + c.quote + "”" : "" })));
  }
  sourceList($("#deal-sources"), dealSourceIds(d), body.sources);
  if (!(d.valuations || []).length) $("#deal-valuations tbody").append(el("tr", {}, el("td", { colspan: "6", class: "muted", text: T("dash.no_claims") })));
}

// -- calendar (GET /api/calendar) --------------------------------------------------------------------------------
function hashParams(h) { return new URLSearchParams(h.includes("?") ? h.slice(h.indexOf("?") + 1) : ""); }

function dayFlag(e) {
  if (e.trading_day === true) return el("td", { text: T("dash.yes") });
  return el("td", { class: e.trading_day === false ? "flag" : "muted",
    text: (e.trading_day === false ? T("dash.no") : T("dash.unknown")) + ": " + (e.calendar_note || "") });
}

// lottery rates are small percentages (0.036%): four significant digits, trailing zeros dropped
function rateText(o) {
  return o ? fmt(Number(o.value), "prob") : null;
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
      el("td", { text: e.date }), vocab("td", "event", e.event), el("td", { text: e.market || "" }),
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
  if (!data.events.length) tb.append(el("tr", {}, el("td", { colspan: "8", class: "muted", text: T("dash.no_events") })));
  $("#calendar-ashare-box").hidden = !ab.children.length;
  $("#calendar-count").textContent = T("dash.calendar_count", { n: data.events.length, flagged: data.flagged,
    calendars: Object.entries(data.calendars).map(([m, c]) => m + " " + c).join(", ") || "—" });
  $("#calendar-notes").textContent = (data.notes || []).join(" ");
}

function calendarHash() {
  const qs = new URLSearchParams({ from: $("#cal-from").value });
  if ($("#cal-to").value) qs.set("to", $("#cal-to").value);
  if ($("#cal-market").value) qs.set("market", $("#cal-market").value);
  location.hash = "#/calendar?" + qs.toString();
}


// -- routing ----------------------------------------------------------------------------------------------------
// hash prefix -> view and its renderer (given the rest of the hash, decoded, and the whole hash)
const ROUTES = [
  ["#/ipo/", "detail", (rest) => renderDetail(rest)],
  ["#/market/", "market", (rest) => renderMarket(rest.toUpperCase())],
  ["#/pipeline", "pipeline", () => loading("pipeline", renderPipeline)],
  ["#/deal/", "deal", (rest) => loading("deal", () => renderDeal(rest))],
  ["#/calendar", "calendar", (rest, h) => loading("calendar", () => renderCalendar(h))],
  ["#/stats", "stats", () => renderStats()],
];

async function route() {
  showError("");
  const h = location.hash || "#/ipos";
  delete document.body.dataset.ready;
  for (const a of document.querySelectorAll("header nav a")) a.classList.toggle("active", h.startsWith(a.getAttribute("href")));
  const [prefix, view, render] = ROUTES.find(([p]) => h.startsWith(p)) || ["#/ipos", "ipos", () => renderTable()];
  show(view);  // the view and its loading line appear at once, before any request returns
  try {
    const rows = loading(view, loadIpos);  // the table (once): the IPO list and a listing's page read it
    if (view === "ipos" || view === "detail") await rows;
    await render(decodeURIComponent(h.slice(prefix.length)), h);
    await rows;
    document.body.dataset.ready = h;
  } catch (e) {
    showError(String(e.message || e));
  }
}

// language and colour convention: remembered in localStorage; a language change redraws the page in it
async function switchLang(lang) {
  localStorage.setItem(STORE.lang, lang);
  await loadLang(lang);
  if (state.search) await runSearch();
  await route();
}

function switchColors(conv) {
  localStorage.setItem(STORE.colors, conv);
  state.colors = conv;
  applyColors();
  route();
}

for (const id of ["#filter-market", "#filter-year", "#filter-ipos-only"]) {
  $(id).addEventListener("change", () => (state.search ? runSearch().catch((e) => showError(e.message)) : renderTable()));
}
$("#filter-q").addEventListener("input", onSearchInput);
for (const id of ["#stats-market", "#stats-year"]) $(id).addEventListener("change", () => renderStats().catch((e) => showError(e.message)));
for (const th of document.querySelectorAll("#ipo-table th")) {
  th.addEventListener("click", () => {
    const col = th.dataset.col;
    state.sort = { col, desc: state.sort.col === col ? !state.sort.desc : false };
    renderTable();
  });
}
for (const id of ["#pipeline-market", "#pipeline-stage"]) $(id).addEventListener("change", () => loading("pipeline", renderPipeline).catch((e) => showError(e.message)));
for (const id of ["#cal-from", "#cal-to", "#cal-market"]) $(id).addEventListener("change", calendarHash);
$("#lang-select").addEventListener("change", (e) => switchLang(e.target.value).catch((err) => showError(err.message)));
$("#colors-select").addEventListener("change", (e) => switchColors(e.target.value));
window.addEventListener("hashchange", route);

(async () => {
  try {
    await loadLang(localStorage.getItem(STORE.lang) || normaliseLang(navigator.language));
  } catch (e) {
    showError(String(e.message || e));
  }
  await route();
})();
