// ipolens dashboard, shared helpers: DOM building, the API, labels from the message catalogue (/api/i18n/{lang}),
// number formatting by unit (the rules of ipolens.i18n.format, in the browser), colours and loading indicators.
"use strict";

const state = { rows: [], sort: { col: "listing_date", desc: true }, loaded: false, lang: "en", colors: "us", msgs: {} };
const $ = (sel) => document.querySelector(sel);
const MONEY = ["HKD", "CNY", "USD"];
const STORE = { lang: "ipolens.lang", colors: "ipolens.colors" };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c));
  return e;
}

// Ledger text (names, quotes, source titles, notes) is shown as the source wrote it, never translated: class "raw".
function raw(tag, text, attrs = {}) { return el(tag, { ...attrs, class: ((attrs.class || "") + " raw").trim(), text: text ?? "" }); }

// -- labels -----------------------------------------------------------------------------------------------------
function T(key, vars) {
  let s = state.msgs[key];
  if (s === undefined) s = key;  // a key the catalogue lacks shows as itself, so a missing label is visible
  for (const [k, v] of Object.entries(vars || {})) s = s.replaceAll("{" + k + "}", v);
  return s;
}
const isZh = () => state.lang.startsWith("zh");
const fieldLabel = (name) => (state.msgs["field." + name] !== undefined ? state.msgs["field." + name] : name.replaceAll("_", " "));
const qualLabel = (q) => (q ? T("qualifier." + q) : "");

function normaliseLang(s) {
  s = (s || "").replace("_", "-").toLowerCase();
  if (!s.startsWith("zh")) return "en";
  return ["hant", "tw", "hk", "mo"].some((x) => s.includes(x)) ? "zh-Hant" : "zh-Hans";
}

async function loadLang(lang) {
  const body = await api("/api/i18n/" + encodeURIComponent(lang));
  state.lang = body.lang;
  state.msgs = body.messages;
  state.palette = body.colors;
  state.colors = localStorage.getItem(STORE.colors) || body.default_colors;
  document.documentElement.lang = body.lang;
  applyColors();
  applyLabels();
}

// Static labels in index.html: data-i18n (text), data-i18n-placeholder, data-i18n-title.
function applyLabels(root = document) {
  for (const e of root.querySelectorAll("[data-i18n]")) e.textContent = T(e.dataset.i18n);
  for (const e of root.querySelectorAll("[data-i18n-placeholder]")) e.placeholder = T(e.dataset.i18nPlaceholder);
  for (const e of root.querySelectorAll("[data-i18n-title]")) e.title = T(e.dataset.i18nTitle);
  document.title = T("dash.title");
  $("#lang-select").value = state.lang;
  $("#colors-select").value = state.colors;
}

function applyColors() {
  const p = (state.palette || {})[state.colors];
  document.body.dataset.colors = state.colors;
  if (p) { document.body.style.setProperty("--up", p.up); document.body.style.setProperty("--down", p.down); }
}
const upDown = (x) => getComputedStyle(document.body).getPropertyValue(x > 0 ? "--up" : "--down").trim() || "#888";

// -- numbers ----------------------------------------------------------------------------------------------------
const locale = () => (isZh() ? "zh-CN" : "en");
const plain = (x, d = 2) => x.toLocaleString(locale(), { maximumFractionDigits: d });

function moneyZh(v, ccy) {  // 55.83亿港元, 3,959.54港元
  const word = T("currency." + ccy), hant = state.lang === "zh-Hant";
  if (Math.abs(v) >= 1e8) return (v / 1e8).toFixed(2) + (hant ? "億" : "亿") + word;
  if (Math.abs(v) >= 1e4) return (v / 1e4).toFixed(2) + (hant ? "萬" : "万") + word;
  return plain(v) + word;
}

function moneyEn(v, unit) {
  if (Math.abs(v) >= 1e12) return unit + " " + (v / 1e12).toFixed(2) + "tn";
  if (Math.abs(v) >= 1e9) return unit + " " + (v / 1e9).toFixed(2) + "bn";
  if (Math.abs(v) >= 1e6) return unit + " " + (v / 1e6).toFixed(1) + "m";
  return unit + " " + v.toLocaleString("en", { maximumFractionDigits: 2 });
}

// small probabilities (a 0.036% lottery rate, a 1.542% one-lot rate) keep four significant digits
function pctText(v) {
  const s = Number(v).toPrecision(4);
  return (s.includes(".") && !s.includes("e") ? s.replace(/\.?0+$/, "") : s) + "%";
}

function fmt(v, unit) {
  if (v === null || v === undefined || (typeof v === "number" && !isFinite(v))) return null;
  if (typeof v !== "number") return String(v);
  if (unit === "pct") return v.toFixed(2) + "%";
  if (unit === "prob") return pctText(v);
  if (unit === "x") return T("unit.times", { v: plain(v) });
  if (unit === "shares" || unit === "count") return plain(v, 0);
  if (MONEY.includes(unit)) return isZh() ? moneyZh(v, unit) : moneyEn(v, unit);
  return v.toLocaleString(locale(), { maximumFractionDigits: 4 });
}

function qualified(s, q) {
  if (s === null || !q || ["exact", "range"].includes(q)) return s;
  const k = "qualifier_fmt." + q;
  return state.msgs[k] !== undefined ? T(k, { v: s }) : s + " (" + qualLabel(q) + ")";
}

// A vocabulary value (route, stage, event): ``prefix.slug`` from the catalogue, else the ledger's text (raw).
function vocabKey(prefix, value) { return prefix + "." + String(value).toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, ""); }
function vocab(tag, prefix, value) {
  if (value === null || value === undefined || value === "") return el(tag);
  const k = vocabKey(prefix, value);
  return state.msgs[k] !== undefined ? el(tag, { text: state.msgs[k] }) : raw(tag, String(value).replaceAll("_", " "));
}
const vocabText = (prefix, value) => (value ? state.msgs[vocabKey(prefix, value)] ?? String(value).replaceAll("_", " ") : "");

function missing() { return el("span", { class: "missing", text: T("dash.not_on_file") }); }

function cell(v, unit, cls, signed) {
  const td = el("td", cls ? { class: cls } : {});
  const s = fmt(v, unit);
  if (s === null) td.append(missing()); else td.textContent = s;
  if (signed && typeof v === "number") td.classList.add(v > 0 ? "pos" : v < 0 ? "neg" : "flat");
  return td;
}

function textCell(v) { const td = el("td", { class: "raw" }); if (v === null || v === undefined || v === "") td.append(missing()); else td.textContent = String(v); return td; }

// -- fetching ---------------------------------------------------------------------------------------------------
async function api(path) {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) { const e = new Error(body.detail || r.statusText); e.status = r.status; throw e; }
  return body;
}

// A visible "loading" line in a view while its requests run; `busy` counts overlapping loads.
async function loading(view, job) {
  const box = $("#" + view + "-loading");
  box.dataset.busy = String(+(box.dataset.busy || 0) + 1);
  box.hidden = false;
  document.body.dataset.loading = "1";
  try {
    return await job();
  } finally {
    box.dataset.busy = String(+box.dataset.busy - 1);
    if (+box.dataset.busy <= 0) box.hidden = true;
    if (![...document.querySelectorAll(".loading")].some((b) => !b.hidden)) delete document.body.dataset.loading;
  }
}

function showError(msg) { const e = $("#error"); e.textContent = msg; e.hidden = !msg; }

function show(view) {
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== "view-" + view;
}

const layout = () => ({ margin: { t: 40, l: 50, r: 20, b: 40 }, height: 340, font: { family: getComputedStyle(document.body).fontFamily } });
const plotConfig = () => ({ displaylogo: false, responsive: true });
