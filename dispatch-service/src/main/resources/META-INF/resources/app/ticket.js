// The ticket page inside the console (and the supervisor view): the report, the caller (masked
// unless the role may see it: the API decides), the map point, each stage's clock, the assignments,
// the command-room actions, and the full timeline across intake, dispatch, SLA and notifications.
import { t, when, countdown, category, street, localToIso } from './i18n.js';
import { call, ApiError } from './api.js';
import { h, light, say, errorText, rerender, formSent } from './ui.js';

let unitsCache = null;
export async function units() {
  if (!unitsCache) {
    try { unitsCache = await call('dispatch', '/api/units'); } catch (e) { unitsCache = []; }
  }
  return unitsCache;
}
export async function unitName(id) {
  const u = (await units()).find(x => x.unitId === id);
  return u ? u.name : id;
}

/** Client-side clock state: light and seconds left from deadlines, ticking with the server's time. */
export function clockNow(c, now) {
  if (c.state === 'RUNNING') {
    const dl = Date.parse(c.deadline), warn = Date.parse(c.warnAt);
    const l = now >= dl ? 'RED' : now >= warn ? 'YELLOW' : 'GREEN';
    return { light: l, left: (dl - now) / 1000 };
  }
  if (c.state === 'BREACHED') return { light: 'RED', left: (Date.parse(c.deadline) - now) / 1000 };
  if (c.state === 'MET') return { light: 'GREEN', left: null };
  if (c.state === 'MET_LATE') return { light: 'RED', left: null };
  return { light: 'GREY', left: null };
}

/** The ticket's light and the countdown to its nearest unmet deadline. */
export function ticketNow(clocks, now) {
  let next = null, l = 'GREY';
  for (const c of clocks || []) {
    if (c.state !== 'RUNNING' && c.state !== 'BREACHED') continue;
    const s = clockNow(c, now);
    if (s.light === 'RED') l = 'RED';
    else if (s.light === 'YELLOW' && l !== 'RED') l = 'YELLOW';
    else if (l === 'GREY') l = 'GREEN';
    if (!next || Date.parse(c.deadline) < Date.parse(next.deadline)) next = c;
  }
  return { light: l, next, left: next ? (Date.parse(next.deadline) - now) / 1000 : null };
}

function problemText(e) {
  return e instanceof ApiError ? e.sentence() : errorText(e);
}

/**
 * Renders ticket {id} into {root}. {canAct}: the reader's role may act on the street (dispatcher,
 * supervisor); {supervisor}: may decide extensions. Returns { refresh(), tick(now) }.
 */
export function ticketPage(root, id, { session, skew = () => 0, onChanged = () => {} }) {
  let data = null;
  let busy = false;
  const isSupervisor = session.roles.includes('supervisor');
  const clockCells = [];

  async function load() {
    const [d, intake, clocks, notes, recs] = await Promise.allSettled([
      call('dispatch', `/api/dispatch/tickets/${id}`),
      call('intake', `/api/tickets/${id}`),
      call('sla', `/api/sla/tickets/${id}/clocks`),
      call('notification', '/api/notifications', { query: { ticketId: id } }),
      call('dispatch', `/api/dispatch/tickets/${id}/recommendations`),
    ]);
    if (d.status === 'rejected') throw d.reason;
    let whistles = [];
    if (d.value.assignments.some(a => a.summonId)) {
      try { whistles = await call('dispatch', `/api/dispatch/tickets/${id}/whistle`); } catch (e) { whistles = []; }
    }
    return {
      ticket: d.value, intake: intake.status === 'fulfilled' ? intake.value : null,
      clocks: clocks.status === 'fulfilled' ? clocks.value : [],
      notes: notes.status === 'fulfilled' ? notes.value : [],
      recs: recs.status === 'fulfilled' ? recs.value : [], whistles,
    };
  }

  async function refresh() {
    try {
      data = await load();
    } catch (e) {
      root.replaceChildren(h('p', { class: 'msg msg-error', role: 'alert', id: 'ticket-error' },
        e instanceof ApiError && e.status === 403 ? [t('err.ticket403'), h('small', {}, e.problem.detail || '')] : problemText(e)));
      return;
    }
    await render();
  }

  /** {sent}: the part of the page whose entries the action sent; they are done with once it succeeds. */
  async function act(what, path, body, service = 'dispatch', sent = null) {
    if (busy) return;
    busy = true;
    root.querySelectorAll('button').forEach(b => { b.disabled = true; });
    try {
      await call(service, path, { method: 'POST', body });
      say(t('act.done', { what }), 'ok');
      if (sent) formSent(sent);
      onChanged();
    } catch (e) {
      say(problemText(e));
    } finally {
      busy = false;
      await refresh();
    }
  }

  async function render() {
    const { ticket: tk, intake, clocks, notes, recs, whistles } = data;
    const names = new Map((await units()).map(u => [u.unitId, u.name]));
    const un = uid => names.get(uid) || uid;
    const open = !['CLOSED', 'CANCELLED'].includes(tk.stage);
    const canAct = open && (session.roles.includes('dispatcher') || isSupervisor);
    clockCells.length = 0;

    // -- report and caller
    const report = h('section', {},
      h('h2', { id: 'ticket-title' }, category(tk.category), ' ', h('span', { class: 'tag' }, tk.id.slice(0, 8)), ' ',
        h('span', { class: 'tag', id: 'ticket-stage', dataset: { stage: tk.stage } }, t('stage.' + tk.stage))),
      h('dl', { class: 'facts' },
        h('dt', {}, t('ticket.report')), h('dd', { id: 'ticket-description' }, intake ? intake.description : ''),
        h('dt', {}, t('col.source')), h('dd', {}, intake ? t('ticket.source.' + intake.source) : '',
          intake && intake.upstreamRef ? ' · ' + intake.upstreamRef : '',
          intake ? ' · ' + t('ticket.complexity.' + intake.complexity) : ''),
        h('dt', {}, t('col.reported')), h('dd', {}, when(tk.reportedAt)),
        h('dt', {}, t('col.address')), h('dd', {}, tk.address, tk.grid ? ' · ' + tk.grid : '', ' · ', street(tk.street)),
        h('dt', {}, t('ticket.caller')), h('dd', { id: 'ticket-caller' },
          intake ? `${intake.callerName} ${intake.callerPhone}` : t('ticket.callerHidden')),
        intake && intake.repeatCount ? [h('dt', {}, ''), h('dd', {}, t('ticket.repeats', { n: intake.repeatCount }))] : null));

    // -- map point: the ticket and the street's unit bases, no tiles needed
    const map = h('section', {}, h('h3', {}, t('ticket.location')), minimap(intake, await units()));

    // -- clocks
    const clockRows = clocks.map(c => {
      const lightCell = h('td', {});
      const leftCell = h('td', { class: 'num' });
      clockCells.push({ c, lightCell, leftCell });
      return h('tr', { dataset: { stage: c.stage } },
        h('td', {}, t('sla.' + c.stage), c.round ? ` (${c.round})` : ''), lightCell, leftCell,
        h('td', { class: 'num' }, when(c.deadline)), h('td', {}, t('clock.' + c.state)),
        h('td', {}, c.metAt ? when(c.metAt) : ''), h('td', {}, c.escalationLevel ? t('level', { n: c.escalationLevel }) : ''));
    });
    const clockTable = h('section', {}, h('h3', {}, t('ticket.clocks')),
      h('table', { id: 'ticket-clocks' }, h('thead', {}, h('tr', {}, ['col.stage', 'col.light', 'col.remaining', 'col.deadline',
        'col.status', 'col.met', 'col.level'].map(k => h('th', { scope: 'col' }, t(k))))), h('tbody', {}, clockRows)));

    // -- assignments
    const asg = h('section', {}, h('h3', {}, t('ticket.assignments')),
      tk.assignments.length ? h('table', { id: 'ticket-assignments' },
        h('thead', {}, h('tr', {}, ['col.unit', 'col.role', 'col.status', 'col.time'].map(k => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, tk.assignments.map(a => h('tr', { dataset: { unit: a.unitId, status: a.status } },
          h('td', {}, un(a.unitId)), h('td', {}, t('role.' + a.role)),
          h('td', {}, t('as.' + a.status), a.arrivalFlagged ? ' ⚠' : ''),
          h('td', { class: 'num' }, when(a.resolvedAt || a.arrivedAt || a.ackedAt || a.createdAt)))))) : h('p', { class: 'muted' }, '—'));

    // -- actions
    const actions = h('section', { id: 'ticket-actions' }, h('h3', {}, t('ticket.actions')));
    if (canAct) {
      const bar = h('div', { class: 'actions' });
      if (tk.stage === 'NEW') bar.append(h('button', { type: 'button', id: 'act-take', onclick: () => act(t('act.take'), `/api/dispatch/tickets/${id}/take`) }, t('act.take')));
      if (!tk.callerContactedAt) bar.append(h('button', { type: 'button', id: 'act-contact', class: 'secondary', onclick: () => act(t('act.contact'), `/api/dispatch/tickets/${id}/caller-contacted`) }, t('act.contact')));
      if (tk.stage === 'RESOLVED') bar.append(h('button', { type: 'button', id: 'act-close', onclick: () => act(t('act.close'), `/api/dispatch/tickets/${id}/close`) }, t('act.close')));
      actions.append(bar);
      if (tk.stage !== 'RESOLVED') {
        actions.append(recommendations(tk, recs, un));
      }
    } else if (!open) {
      actions.append(h('p', { class: 'muted' }, t('ticket.closed')));
    }
    // returns awaiting the command room's decision
    const returns = tk.assignments.filter(a => a.status === 'RETURNED' && !a.returnDecision);
    if (returns.length && canAct) {
      actions.append(h('h3', {}, t('ticket.returns')), ...returns.map(a => {
        const note = h('input', { type: 'text', id: 'return-note-' + a.id, 'aria-label': t('act.note'), placeholder: t('act.note') });
        return h('div', { class: 'card', dataset: { returnOf: a.unitId } },
          h('p', {}, t('sup.return', { unit: un(a.unitId), reason: t('return.' + a.returnReasonCode) + (a.returnNote ? '：' + a.returnNote : '') })),
          h('div', { class: 'actions' }, note,
            h('button', { type: 'button', id: 'act-accept-' + a.id, onclick: () => act(t('act.accept'), `/api/dispatch/assignments/${a.id}/return/accept`, note.value ? { note: note.value } : undefined) }, t('act.accept')),
            h('button', { type: 'button', class: 'secondary', id: 'act-reject-' + a.id, onclick: () => act(t('act.reject'), `/api/dispatch/assignments/${a.id}/return/reject`, note.value ? { note: note.value } : undefined) }, t('act.reject'))));
      }));
    }
    // extension requests: a supervisor decides
    const exts = tk.extensions.filter(e => e.status === 'PENDING');
    if (exts.length) {
      actions.append(h('h3', {}, t('ticket.extensions')), ...exts.map(e => extensionCard(e, un, isSupervisor && open, act)));
    }
    // whistles
    const wh = whistles.length ? h('section', {}, h('h3', {}, t('ticket.whistle')), ...whistles.map(w => h('ul', {},
      w.departments.map(d => h('li', {}, d.unitName, '：', d.reportedIn ? '✔ ' + when(d.reportedInAt) : '✖ ' + t('as.' + d.status)))))) : null;

    const timeline = h('section', {}, h('h3', {}, t('ticket.timeline')), h('ol', { class: 'timeline', id: 'ticket-timeline' },
      timelineOf(tk, intake, clocks, notes, un).map(e => h('li', {}, h('span', { class: 'num' }, when(e.at)), h('span', { class: 'tag' }, e.src), h('span', {}, e.text)))));

    // a live refresh keeps the dispatcher's choices and notes; another ticket's page carries nothing over
    rerender(root, [report, actions, clockTable, asg, wh, map, timeline].filter(Boolean), root.dataset.ticket === id);
    root.dataset.ticket = id;
    tick(Date.now() + skew());
  }

  function recommendations(tk, recs, un) {
    const working = new Set(tk.assignments.filter(a => ['OFFERED', 'ACKNOWLEDGED', 'ON_SCENE'].includes(a.status)).map(a => a.unitId));
    const hasLead = tk.assignments.some(a => a.role === 'LEAD' && ['OFFERED', 'ACKNOWLEDGED', 'ON_SCENE'].includes(a.status));
    const wrap = h('details', { id: 'recommendations', open: !hasLead });
    const choices = [];
    const rows = recs.filter(r => !working.has(r.unitId)).map((r, i) => {
      const sel = h('select', { id: 'choice-' + r.unitId, 'aria-label': t('col.choice') + '：' + r.unitName },
        h('option', { value: '' }, t('choice.none')),
        h('option', { value: 'LEAD', disabled: hasLead }, t('role.LEAD')),
        h('option', { value: 'ASSIST' }, t('role.ASSIST')));
      if (i === 0 && !hasLead) sel.value = 'LEAD';
      choices.push({ unitId: r.unitId, sel });
      return h('tr', { dataset: { unit: r.unitId } }, h('td', {}, String(r.rank)), h('td', {}, r.unitName),
        h('td', {}, h('ul', { class: 'reasons' }, r.reasons.map(x => h('li', {}, reason(x))))), h('td', {}, sel));
    });
    wrap.append(h('summary', {}, h('h3', { style: 'display:inline' }, hasLead ? t('ticket.recommend.more') : t('ticket.recommend'))));
    if (!rows.length) {
      wrap.append(h('p', { class: 'muted' }, '—'));
    } else {
      wrap.append(h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, t('col.unit')),
        h('th', { scope: 'col' }, t('col.reasons')), h('th', { scope: 'col' }, t('col.choice')))), h('tbody', {}, rows)));
    }
    const order = () => choices.filter(c => c.sel.value).map(c => ({ unitId: c.unitId, role: c.sel.value }));
    const send = (kind, label) => {
      const units = order();
      if (!hasLead && units.filter(u => u.role === 'LEAD').length !== 1) { say(t('act.dispatch.needLead')); return; }
      if (!units.length) { say(t('act.dispatch.needLead')); return; }
      act(label, `/api/dispatch/tickets/${id}/${kind}`, { units }, 'dispatch', wrap);
    };
    const bar = h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'act-dispatch', onclick: () => send('dispatch', t('act.dispatch')), disabled: !rows.length }, t('act.dispatch')),
      h('button', { type: 'button', id: 'act-whistle', class: 'secondary', onclick: () => send('whistle', t('act.whistle')), disabled: !rows.length }, t('act.whistle')));
    wrap.append(bar);
    if (hasLead) {
      const target = h('select', { id: 'redispatch-unit', 'aria-label': t('act.redispatch') },
        h('option', { value: '' }, t('act.redispatch.auto')), recs.filter(r => !working.has(r.unitId)).map(r => h('option', { value: r.unitId }, r.unitName)));
      const reason = h('input', { type: 'text', id: 'redispatch-reason', 'aria-label': t('act.reason'), placeholder: t('act.reason') });
      wrap.append(h('div', { class: 'actions' }, target, reason, h('button', { type: 'button', class: 'secondary', id: 'act-redispatch',
        onclick: () => act(t('act.redispatch'), `/api/dispatch/tickets/${id}/redispatch`,
          { unitId: target.value || undefined, reason: reason.value || undefined }, 'dispatch', wrap) }, t('act.redispatch'))));
    }
    return wrap;
  }

  function tick(now) {
    for (const { c, lightCell, leftCell } of clockCells) {
      const s = clockNow(c, now);
      const key = s.light + (s.left === null ? '' : Math.trunc(s.left));
      if (lightCell.dataset.key === key) continue;
      lightCell.dataset.key = key;
      lightCell.replaceChildren(light(s.light));
      leftCell.textContent = s.left === null ? '' : countdown(s.left);
    }
  }

  refresh();
  return { refresh, tick, id };
}

/** The recommendation service explains in English; the screen says it in the reader's language. */
const REASONS = [
  [/^handles category (.+)$/, m => t('why.handles', { c: category(m[1]) })],
  [/^in street ([^,]+), covers grid (.+)$/, m => t('why.grid', { g: m[2] })],
  [/^in street (.+)$/, m => t('why.street', { s: street(m[1]) })],
  [/^on duty \(shift (.+)\)$/, m => t('why.shift', { s: m[1] })],
  [/^available$/, () => t('why.available')],
  [/^busy$/, () => t('why.busy')],
  [/^load (\d+)\/(\d+)$/, m => t('why.load', { a: m[1], b: m[2] })],
  [/^(\d+) m away$/, m => t('why.distance', { m: m[1] })],
];
function reason(text) {
  for (const [re, f] of REASONS) {
    const m = String(text).match(re);
    if (m) return f(m);
  }
  return text;
}

function extensionCard(e, un, canDecide, act) {
  const card = h('div', { class: 'card', dataset: { extension: e.id } },
    h('p', {}, t('sup.extension', { stage: t('sla.' + e.stage), when: when(e.proposedDeadline), reason: e.reason }), ' · ', e.requestedBy));
  if (canDecide) {
    const note = h('input', { type: 'text', 'aria-label': t('act.note'), placeholder: t('act.note'), id: 'ext-note-' + e.id });
    const dl = h('input', { type: 'datetime-local', 'aria-label': t('act.newDeadline'), id: 'ext-deadline-' + e.id });
    card.append(h('div', { class: 'actions' }, h('label', {}, t('act.newDeadline'), dl), note,
      h('button', { type: 'button', id: 'act-approve-' + e.id, onclick: () => act(t('act.approve'), `/api/dispatch/extensions/${e.id}/approve`,
        { newDeadline: dl.value ? localToIso(dl.value) : undefined, note: note.value || undefined }) }, t('act.approve')),
      h('button', { type: 'button', class: 'secondary', id: 'act-deny-' + e.id, onclick: () => act(t('act.deny'), `/api/dispatch/extensions/${e.id}/deny`,
        note.value ? { note: note.value } : undefined) }, t('act.deny'))));
  } else {
    card.append(h('p', { class: 'muted' }, t('act.awaitSupervisor')));
  }
  return card;
}


function minimap(intake, unitList) {
  if (!intake || intake.latitude == null) return h('p', { class: 'muted' }, t('ticket.map.none'));
  const pts = unitList.filter(u => u.latitude != null).map(u => ({ lat: u.latitude, lon: u.longitude, name: u.name }));
  const all = pts.concat([{ lat: intake.latitude, lon: intake.longitude }]);
  const minLat = Math.min(...all.map(p => p.lat)), maxLat = Math.max(...all.map(p => p.lat));
  const minLon = Math.min(...all.map(p => p.lon)), maxLon = Math.max(...all.map(p => p.lon));
  const W = 320, H = 180, pad = 14;
  const x = lon => pad + (maxLon === minLon ? 0.5 : (lon - minLon) / (maxLon - minLon)) * (W - 2 * pad);
  const y = lat => H - pad - (maxLat === minLat ? 0.5 : (lat - minLat) / (maxLat - minLat)) * (H - 2 * pad);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'minimap');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${intake.latitude.toFixed(5)}, ${intake.longitude.toFixed(5)}`);
  for (const p of pts) {
    const tri = document.createElementNS(ns, 'path');
    const cx = x(p.lon), cy = y(p.lat);
    tri.setAttribute('d', `M${cx} ${cy - 5} L${cx + 5} ${cy + 4} L${cx - 5} ${cy + 4} Z`);
    tri.setAttribute('fill', '#3d4550');
    const title = document.createElementNS(ns, 'title');
    title.textContent = p.name;
    tri.append(title);
    svg.append(tri);
  }
  const dot = document.createElementNS(ns, 'circle');
  dot.setAttribute('cx', x(intake.longitude));
  dot.setAttribute('cy', y(intake.latitude));
  dot.setAttribute('r', 7);
  dot.setAttribute('fill', '#a3141a');
  dot.setAttribute('stroke', '#fff');
  dot.setAttribute('stroke-width', 2);
  svg.append(dot);
  return h('div', {}, svg, h('p', { class: 'muted' }, t('ticket.map.legend'), ' · ',
    `${intake.latitude.toFixed(5)}, ${intake.longitude.toFixed(5)} · `,
    h('a', { href: `https://uri.amap.com/marker?position=${intake.longitude},${intake.latitude}`, target: '_blank', rel: 'noopener' }, t('ticket.map.open'))));
}

function timelineOf(tk, intake, clocks, notes, un) {
  const out = [];
  const add = (at, src, text) => { if (at) out.push({ at, src, text }); };
  if (intake) {
    for (const e of intake.history || []) {
      add(e.occurredAt, t('tl.intake'), e.type === 'ticket.received' ? t('tl.received') : e.type === 'ticket.cancelled' ? t('tl.cancelled') : e.type);
    }
  } else {
    add(tk.receivedAt, t('tl.intake'), t('tl.received'));
  }
  add(tk.takenAt, t('tl.dispatch'), t('tl.taken') + (tk.takenBy ? ' · ' + tk.takenBy : ''));
  add(tk.callerContactedAt, t('tl.dispatch'), t('tl.contacted'));
  add(tk.closedAt, t('tl.dispatch'), t('tl.closed') + (tk.closedBy ? ' · ' + tk.closedBy : ''));
  for (const a of tk.assignments) {
    const who = (what, by) => t('tl.assignment', { unit: un(a.unitId), role: t('role.' + a.role), what }) + (by ? ' · ' + by : '');
    add(a.createdAt, t('tl.dispatch'), who(t('tl.dispatched'), a.automatic ? 'auto' : a.createdBy));
    add(a.ackedAt, t('tl.dispatch'), who(t('as.ACKNOWLEDGED'), a.ackedBy));
    add(a.arrivedAt, t('tl.dispatch'), who(t('as.ON_SCENE') + (a.arrivalDistanceMeters != null ? ` (${Math.round(a.arrivalDistanceMeters)} m${a.arrivalFlagged ? ' ⚠' : ''})` : '')));
    add(a.resolvedAt, t('tl.dispatch'), who(t('as.DONE') + (a.outcome ? '：' + t('outcome.' + a.outcome) : '') + (a.note ? '，' + a.note : '')));
    add(a.returnedAt, t('tl.dispatch'), who(t('as.RETURNED') + (a.returnReasonCode ? '：' + t('return.' + a.returnReasonCode) : '')));
    if (a.endedAt && a.status !== 'DONE' && a.status !== 'RETURNED') add(a.endedAt, t('tl.dispatch'), who(t('as.' + a.status)));
  }
  for (const e of tk.extensions || []) {
    add(e.requestedAt, t('tl.dispatch'), t('ticket.extensions') + '：' + t('sla.' + e.stage) + ' · ' + e.reason);
    add(e.decidedAt, t('tl.dispatch'), t('ticket.extensions') + '：' + e.status + (e.decidedBy ? ' · ' + e.decidedBy : ''));
  }
  for (const c of clocks) {
    if (c.metAt) add(c.metAt, t('tl.sla'), t('tl.met', { stage: t('sla.' + c.stage), state: t('clock.' + c.state) }));
    if (c.state === 'BREACHED' || c.state === 'MET_LATE') add(c.deadline, t('tl.sla'), t('tl.met', { stage: t('sla.' + c.stage), state: t('clock.BREACHED') }) + (c.escalationLevel ? ' · ' + t('level', { n: c.escalationLevel }) : ''));
  }
  for (const n of notes) {
    add(n.createdAt, t('tl.notify'), (n.recipientName || n.recipient) + '：' + n.text);
  }
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
