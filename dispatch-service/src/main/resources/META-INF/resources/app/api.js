// Sign-in, the session, and every call to the services' APIs.
//
// The session is the bearer token (sessionStorage: it dies with the tab) and what its claims say:
// roles (groups), street / area / unit / member. Production signs in through OpenID Connect
// (authorization code + PKCE, oidc-client-ts); the local run through the demo user list
// (dispatch's /api/ui/dev-token, refused unless the services verify with the development key).
// A token that expires signs the person out; a 401 does the same; a 403 is a plain sentence.

import { t, setZone } from './i18n.js';

const KEY = 'hotline.session';
let config = null;
let expiryTimer = null;

export async function loadConfig() {
  if (config) return config;
  const base = window.HOTLINE_DISPATCH_BASE || '';
  const res = await fetch(base + '/api/ui/config', { headers: { Accept: 'application/json' } });
  config = await res.json();
  config.apis.dispatch = config.apis.dispatch || base || window.location.origin;
  setZone(config.zone); // hotline.time-zone: times are shown and entered in it
  return config;
}

export function apiBase(service) {
  return config.apis[service];
}

function decode(token) {
  const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const json = decodeURIComponent(atob(part).split('').map(c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
  return JSON.parse(json);
}

/** The signed-in person, or null. */
export function session() {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw);
    if (!s.token || s.exp * 1000 <= Date.now()) return null;
    return s;
  } catch (e) {
    return null;
  }
}

export function startSession(token, via) {
  const c = decode(token);
  const s = {
    token, via, exp: c.exp, user: c.upn || c.preferred_username || c.sub, name: c.name || c.upn || c.sub,
    roles: Array.isArray(c.groups) ? c.groups : [], street: c.street, area: c.area, unit: c.unit, member: c.member,
  };
  sessionStorage.setItem(KEY, JSON.stringify(s));
  return s;
}

/** The screen a role works on. */
export function homeOf(s) {
  if (!s) return '/';
  if (s.roles.includes('dispatcher')) return '/console/';
  if (s.roles.includes('supervisor')) return '/supervisor/';
  if (s.roles.includes('field')) return '/field/';
  return null;
}

/** Leaves: clears the session and goes to the sign-in page with a reason to show. */
export function signOut(reason = 'signedout') {
  const s = session();
  sessionStorage.removeItem(KEY);
  if (expiryTimer) clearTimeout(expiryTimer);
  const q = { reason, back: location.pathname + location.hash };
  // a person who signed in through the identity provider signs out there too (the sign-in page does it)
  if (s && s.via === 'oidc' && reason === 'signedout') q.via = 'oidc';
  location.assign('/?' + new URLSearchParams(q).toString());
}

/** For a screen: the session if its role fits, else off to the sign-in page. Arms the expiry. */
export function requireSession(role) {
  const s = session();
  if (!s) {
    signOut(sessionStorage.getItem(KEY) ? 'expired' : 'signin');
    return null;
  }
  if (role && !s.roles.includes(role)) {
    location.assign(homeOf(s) || '/?reason=norole');
    return null;
  }
  const left = s.exp * 1000 - Date.now();
  expiryTimer = setTimeout(() => signOut('expired'), Math.max(0, left));
  return s;
}

// ---- OpenID Connect (production)
let um = null;
export function userManager() {
  if (!um) {
    um = new window.oidc.UserManager({
      authority: config.oidc.authority, client_id: config.oidc.clientId, scope: config.oidc.scope,
      redirect_uri: location.origin + '/', post_logout_redirect_uri: config.oidc.postLogoutRedirect || location.origin + '/?reason=signedout',
      response_type: 'code', automaticSilentRenew: false, loadUserInfo: false,
      userStore: new window.oidc.WebStorageStateStore({ store: window.sessionStorage }),
    });
  }
  return um;
}

// ---- the APIs

/** A refusal, as problem+json says it; message() is the plain sentence to show. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || String(status));
    this.status = status;
    this.problem = problem || {};
  }
  sentence() {
    const detail = this.problem.detail || this.problem.title || '';
    if (this.status === 0) return t('err.network');
    if ([400, 403, 404, 409].includes(this.status)) return t('err.' + this.status, { detail });
    return t('err.other', { status: this.status, detail });
  }
}

/** Calls a service's API with the bearer token; JSON in, JSON out; 401 signs out. */
export async function call(service, path, { method = 'GET', body, query } = {}) {
  const s = session();
  if (!s) {
    signOut('expired');
    throw new ApiError(401, { detail: 'signed out' });
  }
  let url = apiBase(service) + path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) q.append(k, v);
    url += '?' + q.toString();
  }
  const headers = { Authorization: 'Bearer ' + s.token, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { detail: String(e) });
  }
  if (res.status === 401) {
    signOut('expired');
    throw new ApiError(401, { detail: 'signed out' });
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = { detail: text.slice(0, 200) }; }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/**
 * A Server-Sent Events stream read with fetch(), so the token goes in the Authorization header,
 * never in the URL. Reconnects (1 s, then up to 10 s apart) and calls onOpen after each
 * (re)connection so the screen re-reads what it may have missed. Returns stop().
 */
export function stream(service, path, { onData, onOpen, onState }) {
  let stopped = false;
  let controller = null;
  let delay = 1000;
  async function run() {
    while (!stopped) {
      const s = session();
      if (!s) { signOut('expired'); return; }
      controller = new AbortController();
      try {
        const res = await fetch(apiBase(service) + path, {
          headers: { Authorization: 'Bearer ' + s.token, Accept: 'text/event-stream' }, signal: controller.signal,
        });
        if (res.status === 401) { signOut('expired'); return; }
        if (!res.ok) throw new Error('stream ' + res.status);
        onState && onState(true);
        delay = 1000;
        onOpen && onOpen();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        let data = [];
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let nl;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).replace(/\r$/, '');
            buf = buf.slice(nl + 1);
            if (line === '') {
              if (data.length) {
                try { onData(JSON.parse(data.join('\n'))); } catch (e) { console.warn('stream item', e); }
              }
              data = [];
            } else if (line.startsWith('data:')) {
              data.push(line.slice(5).replace(/^ /, ''));
            }
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      onState && onState(false);
      if (stopped) return;
      await new Promise(r => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10000);
    }
  }
  run();
  return () => { stopped = true; if (controller) controller.abort(); };
}
