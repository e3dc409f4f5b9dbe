// The sign-in page: the identity provider (OIDC code + PKCE) or, in the local run, the demo users.
import { t, lang, setLang, applyStatic } from './i18n.js';
import { loadConfig, session, startSession, homeOf, userManager, ApiError } from './api.js';
import { h, say, errorText } from './ui.js';

const params = new URLSearchParams(location.search);

function goHome(s) {
  const home = homeOf(s);
  if (!home) {
    say(t('signin.norole', { roles: s.roles.join(', ') || '-' }));
    return;
  }
  const back = params.get('back');
  location.assign(back && back.startsWith(home) ? back : home);
}

async function main() {
  applyStatic();
  document.getElementById('lang').addEventListener('click', () => { setLang(lang() === 'en' ? 'zh-CN' : 'en'); location.reload(); });
  const cfg = await loadConfig();
  const reason = params.get('reason');
  if (reason === 'signedout' && params.get('via') === 'oidc' && cfg.oidc) {
    try {
      await userManager().signoutRedirect(); // ends the provider's session too, then comes back here
      return;
    } catch (e) {
      // the provider has no end-session endpoint: signed out here only
    }
  }
  if (reason === 'expired') say(t('signin.expired'));
  if (reason === 'signedout') say(t('signin.signedout'), 'ok');

  // back from the identity provider with an authorization code
  if (cfg.oidc && params.has('code') && params.has('state')) {
    try {
      const user = await userManager().signinRedirectCallback();
      history.replaceState(null, '', '/');
      goHome(startSession(user.access_token, 'oidc'));
      return;
    } catch (e) {
      say(t('signin.failed', { detail: String(e.message || e) }));
    }
  }
  const current = session();
  if (current && reason !== 'norole' && reason !== 'signedout') {
    goHome(current);
    return;
  }
  if (cfg.oidc) {
    document.getElementById('oidc-box').hidden = false;
    document.getElementById('oidc-signin').addEventListener('click', () => userManager().signinRedirect());
  }
  if (cfg.devSignIn && cfg.demoUsers.length) {
    document.getElementById('demo-box').hidden = false;
    const list = document.getElementById('users');
    for (const u of cfg.demoUsers) {
      list.append(h('button', { type: 'button', dataset: { user: u.user }, onclick: () => demo(u.user) },
        t('signin.as', { name: u.name }), h('small', {}, u.user + ' · ' + u.roles.map(r => t('user.roles.' + r)).join('、') + ' · ' + u.note)));
    }
  }
  if (!cfg.oidc && !cfg.devSignIn) say(t('signin.none'));
}

async function demo(user) {
  try {
    const res = await fetch(window.location.origin + '/api/ui/dev-token', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ user }),
    });
    const body = await res.json();
    if (!res.ok) throw new ApiError(res.status, body);
    goHome(startSession(body.token, 'dev'));
  } catch (e) {
    say(t('signin.failed', { detail: errorText(e) }));
  }
}

main().catch(e => say(t('signin.failed', { detail: errorText(e) })));
