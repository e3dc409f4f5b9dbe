// Small DOM helpers shared by the screens: elements, lights, the header, messages.
import { t, lang, setLang, applyStatic, street } from './i18n.js';
import { signOut } from './api.js';

/** h('div', {class: 'x', onclick: f}, child, 'text', ...) */
export function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/**
 * Replaces {root}'s content, as a live refresh does, keeping what the user changed in its form
 * controls (marked on input, matched by id) and where the focus was: a refresh must not undo a
 * dispatcher's choice of units or a half-typed note. {carry}: false when the new content is about
 * something else (another ticket opened in the same place). A choice the new content no longer
 * offers is dropped.
 */
export function rerender(root, children, carry = true) {
  if (!root.dataset.formWatched) {
    root.dataset.formWatched = '1';
    const touch = e => { if (e.target.id) e.target.dataset.touched = '1'; };
    root.addEventListener('input', touch);
    root.addEventListener('change', touch);
  }
  const values = carry ? [...root.querySelectorAll('[data-touched]')].map(el => [el.id, el.value]) : [];
  const active = document.activeElement;
  const focus = carry && active && active.id && root.contains(active) ? active.id : null;
  root.replaceChildren(...children);
  for (const [id, value] of values) {
    const el = document.getElementById(id);
    if (!el || !root.contains(el)) continue;
    if (el.tagName === 'SELECT' && ![...el.options].some(o => o.value === value && !o.disabled)) continue;
    el.value = value;
    el.dataset.touched = '1';
  }
  const f = focus && document.getElementById(focus);
  if (f && root.contains(f)) f.focus({ preventScroll: true });
}

/** What the user entered in {scope} was sent and accepted: the next refresh shows the page's own values. */
export function formSent(scope) {
  scope.querySelectorAll('[data-touched]').forEach(el => { delete el.dataset.touched; });
}

const ICON = { GREEN: '●', YELLOW: '▲', RED: '■', GREY: '○' };

/** A light never by colour alone: an icon and a word as well. */
export function light(l) {
  const k = ICON[l] ? l : 'GREY';
  return h('span', { class: 'light light-' + k.toLowerCase(), dataset: { light: k } },
    h('span', { 'aria-hidden': 'true' }, ICON[k]), ' ', t('light.' + k));
}

/** The header every screen has: title, who, the street, language, sign out, live state. */
export function header(titleKey, s, scopeText, { withLive = true } = {}) {
  const live = withLive ? h('span', { id: 'live', class: 'live off', role: 'status' }, t('live.off')) : null;
  const bar = h('header', { class: 'topbar' },
    h('h1', {}, t(titleKey), scopeText ? h('span', { class: 'scope' }, ' · ' + scopeText) : null),
    h('div', { class: 'who' },
      live,
      h('span', { class: 'user', id: 'user' }, (s.name || s.user) + '（' + s.roles.map(r => t('user.roles.' + r)).join('、') + '）'),
      h('button', { type: 'button', class: 'link', id: 'lang', 'aria-label': t('lang.label'),
        onclick: () => { setLang(lang() === 'en' ? 'zh-CN' : 'en'); location.reload(); } }, t('lang.switch')),
      h('button', { type: 'button', id: 'signout', onclick: () => signOut('signedout') }, t('signout'))));
  document.body.prepend(bar);
  applyStatic();
  return {
    live(on) {
      if (!live) return;
      live.className = 'live ' + (on ? 'on' : 'off');
      live.textContent = (on ? '● ' : '○ ') + t(on ? 'live.on' : 'live.off');
    },
  };
}

export function scopeOf(s) {
  if (s.street) return street(s.street);
  if (s.area) return street(s.area);
  return '';
}

/** Shows a plain sentence in the page's message area (role=alert for errors). */
export function say(text, kind = 'error', where = document.getElementById('messages')) {
  if (!where) return;
  where.replaceChildren(h('p', { class: 'msg msg-' + kind, role: kind === 'error' ? 'alert' : 'status' }, text));
  if (kind !== 'error') setTimeout(() => { if (where.firstChild && where.firstChild.textContent === text) where.replaceChildren(); }, 6000);
}

export function errorText(e) {
  return e && e.sentence ? e.sentence() : String(e && e.message || e);
}
