// The IPO table with its search box (the search runs on the server: GET /api/search), and a page per market.
"use strict";

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

const displayName = (r) => (isZh() ? r.name_zh || r.name_en : r.name_en || r.name_zh) || "";

// Market, year and "IPOs only" filter the table already loaded; a search text goes to the server, which resolves
// codes in any spelling, aliases and Traditional Chinese exactly as `ipolens ipo` does.
function filtered() {
  const m = $("#filter-market").value, y = $("#filter-year").value;
  const only = $("#filter-ipos-only").checked;
  const base = state.search ? state.search.rows || [] : state.rows;
  let rows = state.search ? base : base.filter((r) => (!m || r.market === m) && (!y || (r.listing_date || "").startsWith(y))
    && (!only || r.counts_as_ipo !== 0));
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

let searchTimer = null, searchSeq = 0;

function onSearchInput() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => runSearch().catch((e) => showError(e.message)), 250);
}

async function runSearch() {
  const q = $("#filter-q").value.trim();
  const seq = ++searchSeq;
  if (!q) { state.search = null; renderTable(); return; }
  state.search = { q, rows: null, note: null };
  renderTable();
  const qs = new URLSearchParams({ q });
  if ($("#filter-market").value) qs.set("market", $("#filter-market").value);
  if ($("#filter-year").value) qs.set("year", $("#filter-year").value);
  if ($("#filter-ipos-only").checked) qs.set("ipos_only", "true");
  const body = await loading("ipos", () => api("/api/search?" + qs.toString()));
  if (seq !== searchSeq) return;  // a newer search replaced this one
  state.search = { q, rows: body.rows, note: body.note };
  renderTable();
  document.body.dataset.searched = q;
}

function ipoRow(r, cols) {
  const tr = el("tr", { "data-code": r.code });
  const cells = {
    code: () => raw("td", r.code), name: () => raw("td", displayName(r)), market: () => el("td", { text: T("market." + r.market) }),
    listed: () => el("td", { text: r.listing_date || "" }), route: () => vocab("td", "route", r.route),
    offer: () => cell(r.offer_price, r.currency || null, "num"), subs: () => cell(r.oversubscription_public, "x", "num"),
    day1: () => cell(r.first_day_return, "pct", "num", true), mcap: () => cell(r.market_cap, r.currency || "HKD", "num"),
    lot: () => cell(r.lot_size, "shares", "num"), one_lot: () => cell(r.one_lot_success_rate, "prob", "num"),
  };
  tr.append(...cols.map((c) => cells[c]()));
  tr.addEventListener("click", () => { location.hash = "#/ipo/" + encodeURIComponent(r.code); });
  return tr;
}

const TABLE_COLS = ["code", "name", "market", "listed", "route", "offer", "subs", "day1", "mcap", "lot", "one_lot"];

function renderTable() {
  const rows = filtered();
  const tb = $("#ipo-table tbody");
  tb.replaceChildren();
  const pending = state.search && state.search.rows === null;
  if (!pending) for (const r of rows.slice(0, 1000)) tb.append(ipoRow(r, TABLE_COLS));
  const count = $("#ipo-count");
  count.replaceChildren(pending ? "" : T("dash.n_listings", { n: rows.length }));
  if (state.search && !pending && !rows.length) {
    count.append(" · ", T("dash.no_match", { q: state.search.q }));
    if (state.search.note) count.append(" ", raw("span", "(" + state.search.note + ")"));
  }
  for (const th of document.querySelectorAll("#ipo-table th")) {
    th.classList.toggle("sorted-asc", th.dataset.col === state.sort.col && !state.sort.desc);
    th.classList.toggle("sorted-desc", th.dataset.col === state.sort.col && state.sort.desc);
  }
}

// -- a page per market: the latest deals first (GET /api/ipos?market=M&sort=-listing_date) ---------------------
const MARKET_COLS = ["listed", "code", "name", "route", "offer", "lot", "subs", "one_lot", "day1"];

async function renderMarket(market) {
  const tb = $("#market-table tbody");
  tb.replaceChildren();
  $("#market-title").textContent = T("dash.market_page", { market: T("market." + market) });
  $("#market-count").textContent = "";
  const qs = new URLSearchParams({ market, sort: "-listing_date", limit: "200" });
  const data = await loading("market", () => api("/api/ipos?" + qs.toString()));
  for (const r of data.rows) tb.append(ipoRow(r, MARKET_COLS));
  $("#market-count").textContent = T("dash.n_listings", { n: data.total }) + (data.total > data.rows.length ? " · " + T("dash.latest_n", { n: data.rows.length }) : "");
  if (!data.rows.length) tb.append(el("tr", {}, el("td", { colspan: String(MARKET_COLS.length), class: "muted", text: T("dash.none_recorded") })));
}
