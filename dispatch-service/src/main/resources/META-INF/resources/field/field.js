// The field team's phone page (360 px and up, light on a slow connection: no library, one small
// list request every 15 s while the page is visible). A member sees only his unit's assignments
// (the API decides), acknowledges in one tap, reports arrival (with the browser's position when
// allowed), the result, a return (退单) or an extension request (延期). The one-tap link from a text
// message (#ack=<signed token>) opens this page on that assignment and acknowledges without a sign-in.
import { t, when, countdown, category, setCategories, applyStatic, localToIso } from '../app/i18n.js';
import { loadConfig, requireSession, call, ApiError } from '../app/api.js';
import { h, header, say, errorText, rerender } from '../app/ui.js';

const OPEN = ['OFFERED', 'ACKNOWLEDGED', 'ON_SCENE'];
const OUTCOMES = ['SOLVED', 'PARTIALLY_SOLVED', 'EXPLAINED', 'NOT_SOLVABLE', 'NO_PROBLEM_FOUND'];
const RETURNS = ['NOT_OUR_JURISDICTION', 'NOT_OUR_RESPONSIBILITY', 'WRONG_ADDRESS', 'DUPLICATE', 'CANNOT_REACH_CALLER', 'OTHER'];

let list = [];
let wanted = null; // #a=<assignment id>: the assignment a link asked for
const forms = new Map(); // assignment id -> open form kind, kept across refreshes
const notes = new Map(); // assignment id -> last arrival result line

async function load() {
  try {
    list = await call('dispatch', '/api/field/assignments', { query: { all: true } });
    render();
  } catch (e) {
    say(errorText(e));
  }
}

async function act(a, path, body, after) {
  try {
    const res = await call('dispatch', `/api/field/assignments/${a.id}/${path}`, { method: 'POST', body });
    forms.delete(a.id);
    if (after) after(res);
    say(t('act.done', { what: t('field.' + ({ acknowledge: 'ack', arrive: 'arrive', resolve: 'resolve', return: 'return', extensions: 'extend' }[path])) }), 'ok');
  } catch (e) {
    say(e instanceof ApiError ? e.sentence() : errorText(e));
  }
  await load();
}

function arrive(a) {
  const send = (coords) => act(a, 'arrive', coords || null, res => {
    notes.set(a.id, res.arrivalDistanceMeters == null ? t('field.noGeo')
      : res.arrivalFlagged ? t('field.flagged', { m: Math.round(res.arrivalDistanceMeters) })
        : t('field.distance', { m: Math.round(res.arrivalDistanceMeters) }));
  });
  if (!navigator.geolocation) { send(null); return; }
  navigator.geolocation.getCurrentPosition(
    p => send({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
    () => send(null), { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
}

function form(a, kind) {
  const id = a.id;
  const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => { forms.delete(id); render(); } }, t('field.cancel'));
  if (kind === 'resolve') {
    const outcome = h('select', { id: 'outcome-' + id }, OUTCOMES.map(o => h('option', { value: o }, t('outcome.' + o))));
    const note = h('textarea', { id: 'note-' + id, rows: 3, required: true, maxlength: 2000 });
    return h('form', { onsubmit: e => { e.preventDefault(); if (!note.value.trim()) { note.focus(); return; } act(a, 'resolve', { outcome: outcome.value, note: note.value.trim() }); } },
      h('label', {}, t('field.outcome'), outcome), h('label', {}, t('field.note'), note),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'resolve-submit-' + id }, t('field.submit')), cancel));
  }
  if (kind === 'return') {
    const reason = h('select', { id: 'return-reason-' + id }, RETURNS.map(o => h('option', { value: o }, t('return.' + o))));
    const note = h('textarea', { id: 'return-note-' + id, rows: 2, maxlength: 1000 });
    return h('form', { onsubmit: e => { e.preventDefault(); act(a, 'return', { reasonCode: reason.value, note: note.value.trim() || undefined }); } },
      h('label', {}, t('field.returnReason'), reason), h('label', {}, t('act.note'), note),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger', id: 'return-submit-' + id }, t('field.return')), cancel));
  }
  const reason = h('textarea', { id: 'extend-reason-' + id, rows: 2, required: true, maxlength: 500 });
  const until = h('input', { type: 'datetime-local', id: 'extend-until-' + id, required: true });
  return h('form', { onsubmit: e => { e.preventDefault(); if (!reason.value.trim() || !until.value) return; act(a, 'extensions', { stage: 'RESOLVE', reason: reason.value.trim(), proposedDeadline: localToIso(until.value) }); } },
    h('label', {}, t('field.extendReason'), reason), h('label', {}, t('field.proposed'), until),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'extend-submit-' + id }, t('field.submit')), cancel));
}

function card(a) {
  const tk = a.ticket || {};
  const open = OPEN.includes(a.status);
  const buttons = [];
  const open_ = kind => () => { forms.set(a.id, kind); render(); const f = document.querySelector(`[data-assignment="${a.id}"] form select, [data-assignment="${a.id}"] form textarea`); if (f) f.focus(); };
  if (a.status === 'OFFERED') buttons.push(h('button', { type: 'button', class: 'big', id: 'ack-' + a.id, onclick: () => act(a, 'acknowledge') }, t('field.ack')));
  if (a.status === 'ACKNOWLEDGED') buttons.push(h('button', { type: 'button', class: 'big', id: 'arrive-' + a.id, onclick: () => arrive(a) }, t('field.arrive')));
  if (a.status === 'ON_SCENE') buttons.push(h('button', { type: 'button', class: 'big', id: 'resolve-' + a.id, onclick: open_('resolve') }, t('field.resolve')));
  const more = [];
  if (['OFFERED', 'ACKNOWLEDGED'].includes(a.status)) more.push(h('button', { type: 'button', class: 'secondary', id: 'return-' + a.id, onclick: open_('return') }, t('field.return')));
  if (['ACKNOWLEDGED', 'ON_SCENE'].includes(a.status)) more.push(h('button', { type: 'button', class: 'secondary', id: 'extend-' + a.id, onclick: open_('extend') }, t('field.extend')));
  const ackLeft = a.status === 'OFFERED' && a.ackDeadline ? (Date.parse(a.ackDeadline) - Date.now()) / 1000 : null;
  return h('article', { class: 'card assignment' + (open ? '' : ' done'), dataset: { assignment: a.id, status: a.status }, tabindex: '-1', id: 'a-' + a.id },
    h('h3', {}, category(tk.category), ' ', h('span', { class: 'tag' }, t('role.' + a.role)), ' ', h('span', { class: 'tag', dataset: { statusTag: a.status } }, t('as.' + a.status))),
    h('p', {}, tk.address),
    h('p', { class: 'muted' }, when(tk.reportedAt), tk.callerPhoneMasked ? ' · ' + t('field.caller') + ' ' + tk.callerPhoneMasked : ''),
    ackLeft !== null ? h('p', {}, t('field.ackBy'), ' ', when(a.ackDeadline), ' (', countdown(ackLeft), ')') : null,
    notes.has(a.id) ? h('p', { class: 'msg msg-ok', id: 'arrival-' + a.id }, notes.get(a.id)) : a.arrivedAt && a.arrivalDistanceMeters != null
      ? h('p', { class: 'muted', id: 'arrival-' + a.id }, a.arrivalFlagged ? t('field.flagged', { m: Math.round(a.arrivalDistanceMeters) }) : t('field.distance', { m: Math.round(a.arrivalDistanceMeters) })) : null,
    a.outcome ? h('p', {}, t('outcome.' + a.outcome), a.note ? '：' + a.note : '') : null,
    buttons, more.length ? h('div', { class: 'actions' }, more) : null,
    forms.has(a.id) ? form(a, forms.get(a.id)) : null);
}

function render() {
  const root = document.getElementById('assignments');
  const shown = list.filter(a => OPEN.includes(a.status) || a.status === 'RETURNED' || a.id === wanted
    || (a.status === 'DONE' && Date.now() - Date.parse(a.resolvedAt) < 12 * 3600 * 1000));
  if (wanted && !list.some(a => a.id === wanted)) {
    say(t('field.notYours'));
  }
  // the list refreshes every 15 s: a note being typed and a chosen outcome stay as they are
  rerender(root, shown.length ? shown.map(card) : [h('p', { class: 'muted', id: 'none' }, t('field.empty'))]);
  if (wanted) {
    const el = document.getElementById('a-' + wanted);
    if (el) { el.scrollIntoView({ block: 'start' }); }
  }
}

/** #ack=<token>: the one-tap link of a text message. The signed token authenticates; no sign-in. */
async function oneTap(token) {
  document.getElementById('mine-title').textContent = t('field.linkTitle');
  const root = document.getElementById('assignments');
  const done = h('div', { id: 'ack-result' });
  const button = h('button', { type: 'button', class: 'big', id: 'link-ack' }, t('field.linkConfirm'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const res = await fetch(location.origin + '/api/field/ack/' + encodeURIComponent(token), { method: 'POST', headers: { Accept: 'application/json' } });
      const body = await res.json();
      if (!res.ok) throw new ApiError(res.status, body);
      done.replaceChildren(h('p', { class: 'msg msg-ok', role: 'status' }, t('field.linkDone')),
        h('p', {}, category(body.ticket && body.ticket.category), ' · ', body.ticket && body.ticket.address, ' · ', t('as.' + body.status)),
        h('a', { href: '/field/#a=' + body.id, id: 'link-signin' }, t('field.linkSignin')));
    } catch (e) {
      button.disabled = false;
      done.replaceChildren(h('p', { class: 'msg msg-error', role: 'alert' }, e instanceof ApiError ? e.sentence() : errorText(e)));
    }
  });
  root.replaceChildren(h('p', {}, t('field.linkLead')), button, done);
}

async function main() {
  await loadConfig();
  const ack = location.hash.match(/ack=([A-Za-z0-9_.-]+)/);
  if (ack) {
    applyStatic();
    oneTap(ack[1]);
    return;
  }
  const s = requireSession('field');
  if (!s) return;
  const m = location.hash.match(/a=([0-9a-f-]{36})/);
  wanted = m ? m[1] : null;
  let unitName = s.unit;
  try { unitName = (await call('dispatch', `/api/units/${s.unit}`)).name; } catch (e) { /* the id then */ }
  header('field.title', s, unitName, { withLive: false });
  try { setCategories(await call('intake', '/api/categories')); } catch (e) { /* codes then */ }
  await load();
  setInterval(() => { if (document.visibilityState === 'visible' && !forms.size) load(); }, 15000);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') load(); });
  window.addEventListener('hashchange', () => { const mm = location.hash.match(/a=([0-9a-f-]{36})/); wanted = mm ? mm[1] : null; render(); });
}

main().catch(e => say(errorText(e)));
