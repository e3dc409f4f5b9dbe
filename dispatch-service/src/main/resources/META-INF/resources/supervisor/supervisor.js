// The supervisor's view: escalations in my area (live), the extension and return decisions
// waiting for me, and the on-time rate per stage of my streets today and this month.
import { t, when, street, category, setCategories, localToIso, startOfLocal } from '../app/i18n.js';
import { loadConfig, requireSession, call, stream, ApiError } from '../app/api.js';
import { h, light, header, scopeOf, say, errorText } from '../app/ui.js';
import { ticketPage, unitName } from '../app/ticket.js';

const ALERTS = new Set(['sla.warning', 'sla.breached', 'sla.escalated', 'ticket.ping-pong', 'assignment.ack-lapsed',
  'assignment.returned', 'extension.requested', 'escalation.action-taken', 'ticket.repeat-reported']);
const DECISION_EVENTS = /^(extension\.|assignment\.returned|return\.|assignment\.created|ticket\.closed)/;
let session = null;
let detail = null;
const alerts = [];

function myStreet() {
  return session.area && session.area !== 'county' ? session.area : undefined;
}

async function decide(path, body, what) {
  try {
    await call('dispatch', path, { method: 'POST', body });
    say(t('act.done', { what }), 'ok');
  } catch (e) {
    say(e instanceof ApiError ? e.sentence() : errorText(e));
  }
  loadDecisions();
}

async function loadDecisions() {
  const root = document.getElementById('decisions');
  let groups;
  try {
    groups = await call('dispatch', '/api/dispatch/queue', { query: { street: myStreet() } });
  } catch (e) {
    root.replaceChildren(h('p', { class: 'msg msg-error', role: 'alert' }, errorText(e)));
    return;
  }
  const items = groups.flatMap(g => g.tickets).filter(i => i.stage !== 'RESOLVED').slice(0, 80);
  const views = (await Promise.allSettled(items.map(i => call('dispatch', `/api/dispatch/tickets/${i.ticketId}`))))
    .filter(r => r.status === 'fulfilled').map(r => r.value);
  const cards = [];
  for (const tk of views) {
    for (const e of tk.extensions.filter(x => x.status === 'PENDING')) {
      const note = h('input', { type: 'text', id: 'ext-note-' + e.id, 'aria-label': t('act.note'), placeholder: t('act.note') });
      const dl = h('input', { type: 'datetime-local', id: 'ext-deadline-' + e.id, 'aria-label': t('act.newDeadline') });
      cards.push(h('div', { class: 'card', dataset: { extension: e.id, ticket: tk.id } },
        h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => open(tk.id) }, category(tk.category) + ' · ' + tk.address), ' ', h('span', { class: 'tag' }, street(tk.street))),
        h('p', {}, t('sup.extension', { stage: t('sla.' + e.stage), when: when(e.proposedDeadline), reason: e.reason }), ' · ', e.requestedBy),
        h('div', { class: 'actions' }, h('label', {}, t('act.newDeadline'), dl), note,
          h('button', { type: 'button', id: 'act-approve-' + e.id, onclick: () => decide(`/api/dispatch/extensions/${e.id}/approve`,
            { newDeadline: dl.value ? localToIso(dl.value) : undefined, note: note.value || undefined }, t('act.approve')) }, t('act.approve')),
          h('button', { type: 'button', class: 'secondary', id: 'act-deny-' + e.id, onclick: () => decide(`/api/dispatch/extensions/${e.id}/deny`,
            note.value ? { note: note.value } : undefined, t('act.deny')) }, t('act.deny')))));
    }
    for (const a of tk.assignments.filter(x => x.status === 'RETURNED' && !x.returnDecision)) {
      const note = h('input', { type: 'text', id: 'return-note-' + a.id, 'aria-label': t('act.note'), placeholder: t('act.note') });
      cards.push(h('div', { class: 'card', dataset: { returnOf: a.unitId, ticket: tk.id } },
        h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => open(tk.id) }, category(tk.category) + ' · ' + tk.address), ' ', h('span', { class: 'tag' }, street(tk.street))),
        h('p', {}, t('sup.return', { unit: await unitName(a.unitId), reason: t('return.' + a.returnReasonCode) + (a.returnNote ? '：' + a.returnNote : '') })),
        h('div', { class: 'actions' }, note,
          h('button', { type: 'button', id: 'act-accept-' + a.id, onclick: () => decide(`/api/dispatch/assignments/${a.id}/return/accept`, note.value ? { note: note.value } : undefined, t('act.accept')) }, t('act.accept')),
          h('button', { type: 'button', class: 'secondary', id: 'act-reject-' + a.id, onclick: () => decide(`/api/dispatch/assignments/${a.id}/return/reject`, note.value ? { note: note.value } : undefined, t('act.reject')) }, t('act.reject')))));
    }
  }
  root.replaceChildren(...(cards.length ? cards : [h('p', { class: 'muted', id: 'no-decisions' }, t('sup.decisions.empty'))]));
}

let decisionsTimer = null;
function loadDecisionsSoon() {
  clearTimeout(decisionsTimer);
  decisionsTimer = setTimeout(loadDecisions, 300);
}

function addAlert(n) {
  if (!ALERTS.has(n.eventType) || alerts.some(a => a.id === n.id)) return;
  alerts.push(n);
  alerts.sort((a, b) => Date.parse(b.createdAt || b.eventTime) - Date.parse(a.createdAt || a.eventTime));
  alerts.length = Math.min(alerts.length, 200);
  document.getElementById('escalations').replaceChildren(...alerts.map(a => h('li', { dataset: { event: a.eventType, ticket: a.ticketId } },
    h('span', { class: 'num' }, when(a.createdAt || a.eventTime)),
    h('span', {}, a.eventType === 'sla.warning' ? light('YELLOW') : a.eventType.startsWith('sla.') ? light('RED') : h('span', { class: 'tag' }, t('ev.' + a.eventType))),
    h('span', {}, h('button', { type: 'button', class: 'link', onclick: () => open(a.ticketId) }, a.text)))));
}

async function loadAlerts() {
  try {
    const q = myStreet() ? { street: myStreet(), limit: 300 } : { status: 'SENT', limit: 300 };
    (await call('notification', '/api/notifications', { query: q })).filter(n => n.channel === 'CONSOLE').forEach(addAlert);
    if (!alerts.length) document.getElementById('escalations').replaceChildren(h('li', { class: 'muted' }, t('console.escalations.empty')));
  } catch (e) {
    say(errorText(e));
  }
}

/** Midnight in the configured zone of the day (or month's first day) that contains now. */
function startOf(kind) {
  return startOfLocal(kind);
}

async function loadRates() {
  const root = document.getElementById('rates');
  const to = new Date(Date.now() + 60000).toISOString();
  try {
    const [today, month] = await Promise.all([
      call('sla', '/api/sla/summary', { query: { by: 'street', from: startOf('day'), to } }),
      call('sla', '/api/sla/summary', { query: { by: 'street', from: startOf('month'), to } }),
    ]);
    const mine = r => !myStreet() || r.group === myStreet();
    const key = r => r.group + '|' + r.stage;
    const rows = new Map();
    for (const r of month.filter(mine)) rows.set(key(r), { group: r.group, stage: r.stage, month: r });
    for (const r of today.filter(mine)) rows.set(key(r), Object.assign(rows.get(key(r)) || { group: r.group, stage: r.stage }, { today: r }));
    const order = ['RESPOND', 'DISPATCH_CONTACT', 'ON_SCENE', 'RESOLVE'];
    const sorted = [...rows.values()].sort((a, b) => a.group.localeCompare(b.group) || order.indexOf(a.stage) - order.indexOf(b.stage));
    const cell = r => {
      if (!r || r.onTimeRate == null) return h('td', { class: 'muted' }, t('sup.noData'));
      const pct = Math.round(r.onTimeRate * 1000) / 10;
      return h('td', {}, h('div', { class: 'bar', role: 'img', 'aria-label': pct + '%' }, h('span', { style: `width:${pct}%` })),
        h('span', { class: 'num' }, `${pct}%（${t('sup.onTime')} ${r.onTime} / ${t('sup.breached')} ${r.breached}）`));
    };
    root.replaceChildren(sorted.length ? h('table', { id: 'rates-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col.address')), h('th', { scope: 'col' }, t('col.stage')),
        h('th', { scope: 'col' }, t('sup.today')), h('th', { scope: 'col' }, t('sup.month')))),
      h('tbody', {}, sorted.map(r => h('tr', { dataset: { street: r.group, stage: r.stage } }, h('td', {}, street(r.group)),
        h('td', {}, t('sla.' + r.stage)), cell(r.today), cell(r.month)))))
      : h('p', { class: 'muted' }, t('sup.noData')));
  } catch (e) {
    root.replaceChildren(h('p', { class: 'msg msg-error', role: 'alert' }, errorText(e)));
  }
}

function open(id) {
  const root = document.getElementById('detail');
  detail = ticketPage(root, id, { session, onChanged: loadDecisionsSoon });
  root.focus();
}

async function main() {
  await loadConfig();
  session = requireSession('supervisor');
  if (!session) return;
  const top = header('sup.title', session, scopeOf(session));
  try { setCategories(await call('intake', '/api/categories')); } catch (e) { /* codes then */ }
  let a = false, b = false;
  stream('dispatch', '/api/dispatch/queue/stream', {
    onOpen: loadDecisions, onState: on => { a = on; top.live(a && b); },
    onData: item => { if (DECISION_EVENTS.test(item.event || '')) loadDecisionsSoon(); if (detail && detail.id === item.ticketId) detail.refresh(); },
  });
  stream('notification', '/api/notifications/stream', {
    onOpen: loadAlerts, onState: on => { b = on; top.live(a && b); }, onData: addAlert,
  });
  loadRates();
  setInterval(loadRates, 60000);
  setInterval(() => detail && detail.tick(Date.now()), 1000);
}

main().catch(e => say(errorText(e)));
