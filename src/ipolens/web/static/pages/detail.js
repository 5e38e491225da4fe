// One listing's page: what a subscriber checks first (entry fee, board lot, one-lot odds, cornerstones, sponsors,
// lock-ups, the HK mechanics), then every value with its source, the conflicts, follow-ons and the charts.
"use strict";

function v(section, field) {
  const f = section && section[field];
  return f && typeof f === "object" ? f : null;
}

function sourceText(f) {
  if (!f) return "";
  if (f.basis === "derived" || f.source === "derived") return T("dash.derived") + ": " + ((f.derivation || {}).formula || "");
  const by = f.basis === "derived_by_source" ? " · " + T("dash.derived_by_source") + ": " + ((f.derivation || {}).formula || "") : "";
  const re = f.recomputed ? " · " + T("dash.recomputed") + " " + fmt(f.recomputed.value, f.unit) + " = " +
    ((f.recomputed.derivation || {}).formula || "") + ": " + T("report.differs") : "";
  return T("report.source") + ": " + (f.source || "?") + (f.as_of ? " · " + f.as_of : "") + by + re;
}

function card(id, f, unit) {
  const s = f ? qualified(fmt(f.value, unit || f.currency || f.unit), f.qualifier) : null;
  $("#" + id).replaceChildren(s === null ? missing() : document.createTextNode(s));
  $("#" + id + "-source").textContent = sourceText(f);
}

// Empty every part of the detail view, so a failed lookup never leaves the previous company's numbers on screen.
function clearDetail() {
  $("#detail-title").textContent = "";
  $("#detail-sub").textContent = "";
  for (const id of ["detail-offer-price", "detail-fdr", "detail-subs", "detail-mcap", "sub-entry", "sub-lot", "sub-odds"]) {
    $("#" + id).textContent = "—";
    $("#" + id + "-source").textContent = "";
  }
  delete $("#detail-offer-price").dataset.value;
  for (const id of ["#detail-facts tbody", "#detail-conflicts tbody", "#detail-followons tbody", "#sub-lockups tbody",
    "#sub-mechanics tbody", "#detail-sources", "#sub-cornerstones", "#sub-sponsors"]) $(id).replaceChildren();
  $("#detail-followons-note").textContent = "";
  $("#detail-report").href = "#";
  for (const id of ["detail-chart", "detail-fund-chart"]) { Plotly.purge(id); $("#" + id).replaceChildren(); }
}

// One side of a conflict with its currency or unit; a cross-currency B also shows its converted range and the FX.
function conflictValue(c, side) {
  const ccy = c["currency_" + side] || (MONEY.includes(c.unit) ? c.unit : null);
  const unit = ccy || (c.unit === "pct" || c.unit === "x" ? c.unit : null);
  let s = fmt(c["value_" + side], unit) ?? T("dash.not_on_file");
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

const settled = (p) => p.then((value) => ({ value }), (error) => ({ error }));

// -- the subscriber's block -------------------------------------------------------------------------------------
function setCard(id, text, note) {
  $("#" + id).replaceChildren(text === null || text === undefined ? missing() : document.createTextNode(text));
  $("#" + id + "-source").textContent = note || "";
}

async function renderSubscriber(p, row) {
  const deal = p.deal || {}, hk = p.market === "HK", code = p.code;
  const listed = (v(deal, "listing_date") || {}).value || row.listing_date;
  const lot = (v(deal, "lot_size") || {}).value ?? row.lot_size, price = (v(deal, "offer_price") || {}).value ?? row.offer_price;
  const ccy = (v(deal, "offer_price") || {}).currency || row.currency;
  const until = listed ? (+listed.slice(0, 4) + 2) + listed.slice(4) : null;
  const [fee, odds, tranche, locks] = await Promise.all([
    hk ? settled(api("/api/hk/subscribe?" + new URLSearchParams({ code, lots: "1" }))) : null,
    hk ? settled(api("/api/hk/odds?" + new URLSearchParams({ code }))) : null,
    hk ? settled(api("/api/hk/tranche?" + new URLSearchParams({ code }))) : null,
    listed ? settled(api("/api/lockups?" + new URLSearchParams({ from: listed, to: until, market: p.market }))) : null]);

  // entry fee: HK applications carry brokerage and levies (the hk subscribe use case); elsewhere lot x price only
  if (fee && fee.value) {
    const a = fee.value.application_cents;
    setCard("sub-entry", fmt(fee.value.entry_fee_cents / 100, fee.value.currency), [["principal", a.principal], ["brokerage", a.brokerage],
      ["sfc_levy", a.sfc_levy], ["hkex_trading_fee", a.hkex_trading_fee], ["afrc_levy", a.afrc_levy]]
      .map(([k, c]) => T("dash.fee_" + k) + " " + fmt(c / 100, fee.value.currency)).join(" + "));
  } else if (typeof lot === "number" && typeof price === "number") {
    setCard("sub-entry", fmt(lot * price, ccy), T("dash.entry_before_fees"));
  } else setCard("sub-entry", null, fee && fee.error ? fee.error.message : "");
  const lotF = v(deal, "lot_size");
  setCard("sub-lot", typeof lot === "number" ? T("dash.n_shares", { n: fmt(lot, "shares") }) : null, lotF ? sourceText(lotF) : "");

  // one-lot success: the stated rate first; else the ballot model's estimate, said so; STAR: the lottery rate
  const stated = v(deal, "one_lot_success_rate"), lottery = v(deal, "lottery_rate");
  if (stated || row.one_lot_success_rate != null) {
    setCard("sub-odds", fmt(stated ? stated.value : row.one_lot_success_rate, "prob"), stated ? T("dash.stated") + " · " + sourceText(stated) : T("dash.stated"));
  } else if (odds && odds.value && odds.value.one_lot_success_rate != null) {
    setCard("sub-odds", fmt(100 * odds.value.one_lot_success_rate, "prob"), T("dash.model_estimate") + " · " + T("dash.lots_to_secure", { n: fmt(odds.value.lots_to_secure_one_lot, "count") }));
    $("#sub-odds").append(" ", el("span", { class: "badge", text: T("dash.model_estimate") }));
  } else if (lottery) {
    setCard("sub-odds", fmt(lottery.value, "prob"), T("dash.lottery_rate") + " · " + sourceText(lottery));
  } else setCard("sub-odds", null, odds && odds.error ? odds.error.message : "");

  // cornerstones: the deal's stated count, amount and share (names come from `ipolens import-cornerstones`)
  const cs = $("#sub-cornerstones");
  const parts = [["cornerstone_count", "count"], ["cornerstone_amount", null], ["cornerstone_share_of_offer", "pct"]]
    .map(([k, unit]) => [k, v(deal, k), unit]).filter(([, f]) => f);
  for (const [k, f, unit] of parts) {
    cs.append(el("li", { "data-field": k }, fieldLabel(k) + ": " + qualified(fmt(f.value, unit || f.currency), f.qualifier) + " ", raw("span", "(" + f.source + ")", { class: "muted" })));
  }
  if (!parts.length) cs.append(el("li", { class: "muted", text: T("dash.none_recorded") }));
  cs.append(el("li", { class: "muted", text: T("dash.cornerstone_names_note") }));

  const sponsors = row.sponsors || (v(deal, "sponsors") || {}).value;
  $("#sub-sponsors").replaceChildren(sponsors ? raw("span", Array.isArray(sponsors) ? sponsors.join("; ") : String(sponsors)) : missing());

  const lb = $("#sub-lockups tbody");
  for (const e of ((locks && locks.value && locks.value.events) || []).filter((e) => e.code === code)) {
    lb.append(el("tr", { "data-holder": e.holder }, raw("td", e.holder), raw("td", e.period), el("td", { text: e.expiry_session || e.end_date || "" }),
      el("td", { class: e.unconfirmed ? "flag" : "", text: e.unconfirmed ? T("dash.unconfirmed") : "" }), raw("td", e.source, { class: "muted" })));
  }
  if (!lb.children.length) lb.append(el("tr", {}, el("td", { colspan: "5", class: "muted", text: locks && locks.error ? locks.error.message : T("dash.none_recorded") })));

  const mb = $("#sub-mechanics tbody");
  const t = tranche && tranche.value, o = odds && odds.value;
  const mrow = (key, text, note) => mb.append(el("tr", { "data-key": key }, el("td", { text: T("dash.mech_" + key) }),
    el("td", { class: "num" }, text === null || text === undefined ? missing() : text), raw("td", note || "", { class: "muted" })));
  if (t) {
    // the regime's name from the catalogue (hk_regime.<id>); the API's English name only for a regime it lacks
    const regimeKey = "hk_regime." + t.regime;
    mrow("regime", state.msgs[regimeKey] !== undefined ? T(regimeKey) : (t.regime_name || t.regime), t.regime_reason);
    mrow("offer_shares", fmt(t.offer_shares, "shares"));
    mrow("initial_public", fmt(t.initial_pct, "pct"));
    mrow("final_public", fmt(t.final_pct, "pct"), t.stated_final_public_pct != null ? T("dash.stated") + " " + fmt(t.stated_final_public_pct, "pct") : "");
    mrow("subscription", fmt(t.subscription, "x"));
    for (const u of t.unconfirmed || []) mb.append(el("tr", {}, el("td", { class: "flag", text: T("dash.unconfirmed") }), el("td"), raw("td", u, { class: "muted" })));
  }
  if (o) {
    mrow("applicants", fmt(o.modelled_applicants, "count"), o.applications_source);
    mrow("pool_lots", fmt(o.pool_a_lots, "count") + " / " + fmt(o.pool_b_lots, "count"));
  }
  if (!mb.children.length) {
    const why = !hk ? T("report.no_mechanics") : ((tranche && tranche.error) || (odds && odds.error) || {}).message;
    mb.append(el("tr", {}, el("td", { colspan: "3", class: "muted", text: why || T("report.no_mechanics") })));
  }
}

// -- the page ---------------------------------------------------------------------------------------------------
async function renderDetail(code) {
  clearDetail();
  const p = await loading("detail", () => api("/api/ipos/" + encodeURIComponent(code)));
  const deal = p.deal || {}, fd = p.first_day || {}, val = p.valuation || {};
  const row = state.rows.find((r) => r.code === p.code) || {};
  $("#detail-title").replaceChildren(raw("span", (p.name_en || "") + (p.name_zh ? " " + p.name_zh : "") + " (" + p.code + ")"));
  $("#detail-sub").textContent = [T("market." + p.market), vocabText("route", (v(deal, "route") || {}).value), (v(deal, "listing_date") || {}).value]
    .filter(Boolean).join(" · ");
  card("detail-offer-price", v(deal, "offer_price"));
  $("#detail-offer-price").dataset.value = (v(deal, "offer_price") || {}).value ?? "";
  card("detail-fdr", v(fd, "first_day_return"), "pct");
  card("detail-subs", v(deal, "oversubscription_public"), "x");
  card("detail-mcap", v(val, "market_cap"));
  const sub = loading("detail", () => renderSubscriber(p, row));

  const tb = $("#detail-facts tbody");
  for (const [, section] of [["deal", deal], ["first_day", fd], ["valuation", val]]) {
    for (const [field, f] of Object.entries(section)) {
      if (!f || typeof f !== "object" || Array.isArray(f)) continue;
      const src = raw("td", sourceText(f));
      if (f.quote) src.append(el("br"), raw("span", "“" + f.quote + "”", { class: "muted" }));
      const val = typeof f.value === "number" ? cell(f.value, f.unit === "pct" || f.unit === "x" ? f.unit : (f.currency || (f.unit === "shares" || f.unit === "count" ? f.unit : null)), "num", field.includes("return"))
        : ["route", "board", "listing_chapter"].includes(field) ? vocab("td", field, f.value) : raw("td", f.value ?? "");
      tb.append(el("tr", { "data-field": field }, el("td", { text: fieldLabel(field) }), val,
        el("td", { text: qualLabel(f.qualifier) }), el("td", { text: f.as_of || "" }), src));
    }
  }
  const cb = $("#detail-conflicts tbody");
  for (const c of p.conflicts || []) {
    const side = (s) => `${conflictValue(c, s)} ${c["qualifier_" + s] && c["qualifier_" + s] !== "exact" ? qualLabel(c["qualifier_" + s]) + " " : ""}(${c["source_" + s]})`;
    cb.append(el("tr", { "data-field": c.field }, el("td", { text: fieldLabel(c.field) }), raw("td", side("a")), raw("td", side("b"))));
  }
  if (!cb.children.length) cb.append(el("tr", {}, el("td", { colspan: "3", class: "muted", text: T("dash.none_recorded") })));
  const srcs = Array.isArray(p.sources) ? p.sources.map((id) => [id, {}]) : Object.entries(p.sources || {});
  $("#detail-sources").replaceChildren(...srcs.map(([id, s]) => el("li", { "data-source": id, class: "raw" }, el("code", { text: id }),
    " " + [s.title, s.publisher, s.published || s.date_note, s.licence].filter(Boolean).join(" · "),
    ...(s.url ? [" ", el("a", { href: s.url, rel: "noreferrer", text: s.url })] : []))));
  $("#detail-report").href = "/report/" + encodeURIComponent(p.code) + "?lang=" + (isZh() ? "zh" : "en");
  await Promise.all([loading("detail", () => renderFollowons(p.code)), sub, loading("detail", () => renderCharts(p))]);
}

async function renderCharts(p) {
  const deal = p.deal || {}, fd = p.first_day || {};
  // Chart 1: offer, open and close as reported (a missing price is left out, not drawn as zero).
  const names = [], ys = [];
  for (const [label, f] of [["offer", v(deal, "offer_price")], ["open", v(fd, "open_price")], ["close", v(fd, "close_price")]]) {
    if (f && typeof f.value === "number") { names.push(T("dash.bar_" + label)); ys.push(f.value); }
  }
  const close = v(fd, "close_price"), offer = v(deal, "offer_price");
  const move = close && offer ? close.value - offer.value : 0;
  await Plotly.newPlot("detail-chart", [{ type: "bar", x: names, y: ys, text: ys.map((y) => y.toFixed(2)), textposition: "outside",
    marker: { color: ["#5b7fa6", "#d08c2b", move ? upDown(move) : "#7a8594"] } }],
  { ...layout(), title: { text: T("dash.chart_prices", { ccy: T("currency." + ((offer || {}).currency || "")) }) } }, plotConfig());

  // Chart 2: revenue and R&D by fiscal period from the financials endpoint. FY2024 sorts after 2024H1, before 2025H1.
  const fin = await api("/api/ipos/" + encodeURIComponent(p.code) + "/financials");
  const key = (s) => { const m = /^FY(\d{4})$/.exec(s); return m ? +m[1] * 10 + 3 : +s.slice(0, 4) * 10 + +s.slice(5); };
  const periods = fin.rows.filter((r) => /^(FY\d{4}|\d{4}H[12])$/.test(r.period || "") && (r.revenue !== null || r.rd_expense !== null))
    .sort((a, b) => key(a.period) - key(b.period));
  const fc = $("#detail-fund-chart");
  if (periods.length) {
    const ccy = periods[periods.length - 1].currency || "";
    const x = periods.map((r) => r.period);
    const trace = (k, name) => ({ type: "bar", name, x, y: periods.map((r) => (r[k] === null ? null : r[k] / 1e6)) });
    await Plotly.newPlot(fc, [trace("revenue", fieldLabel("revenue")), trace("rd_expense", fieldLabel("rd_expense")),
      trace("adjusted_net_loss", fieldLabel("adjusted_net_loss"))],
    { ...layout(), barmode: "group", title: { text: T("dash.chart_fund", { ccy: T("currency." + ccy) }) } }, plotConfig());
  } else {
    Plotly.purge(fc);
    fc.replaceChildren(el("p", { class: "missing", text: T("dash.no_financials") }));
  }
}
