// The street command room's console: the live queue ordered by the nearest real SLA deadline (the
// SLA service's board, never a copy of 13830), lights and countdowns ticking every second, the
// escalation panel, and the ticket page with every command-room action.
import { t, when, countdown, category, setCategories } from '../app/i18n.js';
import { loadConfig, requireSession, call, stream } from '../app/api.js';
import { h, light, header, scopeOf, say, errorText } from '../app/ui.js';
import { ticketPage, ticketNow, units } from '../app/ticket.js';

const ALERTS = new Set(['sla.warning', 'sla.breached', 'sla.escalated', 'ticket.ping-pong', 'assignment.ack-lapsed',
  'assignment.returned', 'extension.requested', 'escalation.action-taken', 'ticket.repeat-reported']);

const state = {
  items: new Map(), // ticketId -> dispatch queue item
  clocks: new Map(), // ticketId -> SLA clocks (from the board or the ticket's clocks)
  skew: 0, // server time - browser time, from the board
  rows: new Map(), // ticketId -> {tr, lightCell, leftCell}
  unitNames: new Map(),
  detail: null,
  alerts: [],
};

function now() {
  return Date.now() + state.skew;
}

async function loadQueue(s) {
  const [groups, board] = await Promise.all([
    call('dispatch', '/api/dispatch/queue'),
    call('sla', '/api/sla/board', { query: { limit: 1000 } }),
  ]);
  state.skew = Date.parse(board.now) - Date.now();
  state.items.clear();
  for (const g of groups) for (const it of g.tickets) state.items.set(it.ticketId, it);
  for (const b of board.tickets) state.clocks.set(b.ticketId, b.clocks);
  render();
}

/** Nearest real deadline first (overdue first); tickets with no clock counting after, oldest first. */
function ordered() {
  const list = [...state.items.values()];
  const key = it => {
    const n = ticketNow(state.clocks.get(it.ticketId), now());
    return n.next ? Date.parse(n.next.deadline) : Number.MAX_SAFE_INTEGER;
  };
  return list.sort((a, b) => key(a) - key(b) || Date.parse(a.reportedAt) - Date.parse(b.reportedAt) || a.ticketId.localeCompare(b.ticketId));
}

function render(flash) {
  const table = document.getElementById('queue');
  const list = ordered();
  state.rows.clear();
  if (!list.length) {
    table.replaceChildren(h('caption', { class: 'muted' }, t('console.queue.empty')));
    return;
  }
  const head = h('thead', {}, h('tr', {}, ['col.light', 'col.remaining', 'col.stage', 'col.category', 'col.address', 'col.lead', 'col.reported']
    .map(k => h('th', { scope: 'col' }, t(k)))));
  const body = h('tbody', {});
  for (const it of list) {
    const lightCell = h('td', {});
    const leftCell = h('td', { class: 'num' });
    const open = () => openTicket(it.ticketId, true);
    const tr = h('tr', {
      class: 'pick' + (state.detail && state.detail.id === it.ticketId ? ' selected' : '') + (flash === it.ticketId ? ' flash' : ''),
      tabindex: '0', dataset: { ticket: it.ticketId, stage: it.stage }, 'aria-label': category(it.category) + ' ' + it.address,
      onclick: open, onkeydown: e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } },
    }, lightCell, leftCell,
    h('td', {}, t('stage.' + it.stage), it.returnPending ? ' · ' + t('as.RETURNED') : ''),
    h('td', {}, category(it.category)), h('td', {}, it.address),
    h('td', {}, it.leadUnitId ? [state.unitNames.get(it.leadUnitId) || it.leadUnitId, ' ', h('span', { class: 'tag' }, t('as.' + it.leadStatus))] : '—'),
    h('td', { class: 'num' }, when(it.reportedAt)));
    state.rows.set(it.ticketId, { tr, lightCell, leftCell });
    body.append(tr);
  }
  table.replaceChildren(head, body);
  tick();
}

function tick() {
  const n = now();
  for (const [id, r] of state.rows) {
    const s = ticketNow(state.clocks.get(id), n);
    const key = s.light + (s.left === null ? '' : Math.trunc(s.left));
    if (r.tr.dataset.key === key) continue;
    r.tr.dataset.key = key;
    r.tr.dataset.light = s.light;
    r.lightCell.replaceChildren(light(s.light));
    r.leftCell.textContent = s.left === null ? '—' : (s.next ? t('sla.' + s.next.stage) + ' ' : '') + countdown(s.left);
  }
  if (state.detail) state.detail.tick(n);
}

async function refreshClocks(id, attempt = 0) {
  try {
    state.clocks.set(id, await call('sla', `/api/sla/tickets/${id}/clocks`));
    return true;
  } catch (e) {
    // not armed yet (the SLA service consumes the same report in parallel): look again shortly
    if (e.status === 404 && attempt < 10 && state.items.has(id)) {
      setTimeout(() => refreshClocks(id, attempt + 1).then(ok => ok && tick()), 300 + attempt * 200);
    }
    return false;
  }
}

const pendingDetail = { timer: null };
function refreshDetailSoon(id) {
  if (!state.detail || state.detail.id !== id) return;
  clearTimeout(pendingDetail.timer);
  pendingDetail.timer = setTimeout(() => state.detail && state.detail.id === id && state.detail.refresh(), 150);
}

async function onQueueItem(item) {
  const id = item.ticketId;
  if (['CLOSED', 'CANCELLED'].includes(item.stage)) state.items.delete(id);
  else state.items.set(id, item);
  // the row at once (its stage, its unit): its light, countdown and place in deadline order follow
  // with the clocks, a call to the SLA service that must not hold back what the command room sees
  render(id);
  refreshDetailSoon(id);
  if (await refreshClocks(id)) render(id);
}

function openTicket(id, focus) {
  history.replaceState(null, '', '#ticket=' + id);
  const root = document.getElementById('detail');
  state.detail = ticketPage(root, id, { session: state.session, skew: () => state.skew, onChanged: () => {} });
  for (const [tid, r] of state.rows) r.tr.classList.toggle('selected', tid === id);
  root.scrollTop = 0;
  if (focus) root.focus({ preventScroll: true });
}

// ---- escalation panel: breaches, ladder levels and other alerts, newest first
function addAlert(n) {
  if (!ALERTS.has(n.eventType) || state.alerts.some(a => a.id === n.id)) return;
  state.alerts.push(n);
  state.alerts.sort((a, b) => Date.parse(b.createdAt || b.eventTime) - Date.parse(a.createdAt || a.eventTime));
  state.alerts.length = Math.min(state.alerts.length, 200);
  const list = document.getElementById('escalations');
  list.replaceChildren(...state.alerts.map(a => h('li', { dataset: { event: a.eventType, ticket: a.ticketId } },
    h('span', { class: 'num' }, when(a.createdAt || a.eventTime)),
    h('span', {}, a.eventType === 'sla.warning' ? light('YELLOW') : a.eventType.startsWith('sla.') ? light('RED') : h('span', { class: 'tag' }, t('ev.' + a.eventType))),
    h('span', {}, h('button', { type: 'button', class: 'link', onclick: () => openTicket(a.ticketId, true) }, a.text)))));
}

async function loadAlerts(s) {
  try {
    const rows = await call('notification', '/api/notifications', { query: { street: s.street, limit: 200 } });
    rows.filter(n => n.channel === 'CONSOLE').forEach(addAlert);
    if (!state.alerts.length) document.getElementById('escalations').replaceChildren(h('li', { class: 'muted' }, t('console.escalations.empty')));
  } catch (e) {
    say(errorText(e));
  }
}

async function main() {
  await loadConfig();
  const s = requireSession('dispatcher');
  if (!s) return;
  state.session = s;
  const top = header('console.title', s, scopeOf(s));
  try { setCategories(await call('intake', '/api/categories')); } catch (e) { /* codes then */ }
  units().then(list => { list.forEach(u => state.unitNames.set(u.unitId, u.name)); render(); });
  let queueUp = false, alertsUp = false;
  const liveState = () => top.live(queueUp && alertsUp);
  stream('dispatch', '/api/dispatch/queue/stream', {
    onOpen: () => loadQueue(s).catch(e => say(errorText(e))),
    onData: item => onQueueItem(item),
    onState: on => { queueUp = on; liveState(); },
  });
  stream('notification', '/api/notifications/stream', {
    onOpen: () => loadAlerts(s),
    onData: n => addAlert(n),
    onState: on => { alertsUp = on; liveState(); },
  });
  setInterval(tick, 1000);
  const m = location.hash.match(/ticket=([0-9a-f-]{36})/);
  if (m) openTicket(m[1], false);
}

main().catch(e => say(errorText(e)));
