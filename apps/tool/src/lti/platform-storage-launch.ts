import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { escapeHtml, htmlPage } from './html-page.ts';
import type { HtmlPage } from './html-page.ts';

// Cookie-less launches (decision 14). A browser that blocks the tool's cookies in the LMS frame
// (Safari, Chromium with third-party cookies fully blocked) never returns the cookie that binds
// the OIDC state and nonce to the browser that began the login. Where the LMS offers LTI platform
// storage (1EdTech "LTI Client Side postMessages", "postMessage Storage" and "OIDC Login with LTI
// Client Side postMessages", v0.1; Canvas: doc/api/lti_window_post_message.md), the state and nonce
// are kept in the LMS's own window instead, in this browser, readable only by the tool's origin:
//
// login   the login answers with a small page (not a redirect) that asks the LMS for
//         lti.capabilities, stores state and nonce with lti.put_data in the frame the login named
//         (`lti_storage_target`), targeting the platform's authorization origin, then goes on to
//         the authorization endpoint. The partitioned cookie is set as before: a browser that keeps
//         it launches as today.
// launch  a launch without the cookie but with `lti_storage_target` gets a page that reads both
//         back with lti.get_data (answers accepted only from the authorization origin), clears
//         them, and posts the launch again from the tool's own origin with what it read. The server
//         accepts it only when that second post comes from the tool's origin and the values read
//         are this launch's state and the id_token's nonce.
//
// A launch replayed in another browser finds nothing in that browser's LMS storage and is refused;
// a forged "verified" post from another site carries another Origin and is refused.

/** The form field that marks the second post, made by the launch page after reading platform storage. */
export const VERIFIED_FIELD = 'platform_storage';
export const STORED_STATE_FIELD = 'platform_storage_state';
export const STORED_NONCE_FIELD = 'platform_storage_nonce';

/**
 * The keys we store under; platform storage is per tool origin already, the prefix names the use.
 * Both are named by the state, so the nonce read back is the one issued with *this* state, as the
 * binding cookie's HMAC pairs them: a browser holding two logins cannot mix one's state with the
 * other's id_token.
 */
export const stateKey = (state: string): string => `attest-state-${state}`;
export const nonceKey = (state: string): string => `attest-nonce-${state}`;

/**
 * Whether `value` names a frame the page may address: `_parent` (the LMS window itself) or a
 * sibling frame's name, as Canvas's `post_message_forwarding`. Anything else is ignored, so the
 * login falls back to the cookie.
 */
export function isStorageTarget(value: unknown): value is string {
  return typeof value === 'string' && /^(?:_parent|[A-Za-z0-9][A-Za-z0-9_.-]{0,99})$/.test(value);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export type PlatformStorageFinding = 'platform_storage_post_not_from_tool' | 'state_not_in_platform_storage' | 'nonce_not_in_platform_storage';

/**
 * Checks the launch page's second post: it must come from the tool's own origin (the page we
 * served, never another site's form), and carry, as read from platform storage, this launch's
 * state and the id_token's nonce. `null` when it holds.
 */
export function checkPlatformStoragePost(req: Request, expected: { toolOrigin: string; state: string; nonce: string }): PlatformStorageFinding | null {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const fetchSite = req.get('sec-fetch-site');
  if (req.get('origin') !== expected.toolOrigin || (fetchSite !== undefined && fetchSite !== 'same-origin')) return 'platform_storage_post_not_from_tool';
  const storedState = typeof body[STORED_STATE_FIELD] === 'string' ? body[STORED_STATE_FIELD] : '';
  const storedNonce = typeof body[STORED_NONCE_FIELD] === 'string' ? body[STORED_NONCE_FIELD] : '';
  if (expected.state === '' || !sameText(storedState, expected.state)) return 'state_not_in_platform_storage';
  if (!sameText(storedNonce, expected.nonce)) return 'nonce_not_in_platform_storage';
  return null;
}

// The scripts are constants, so each page's Content-Security-Policy pins them by hash; the values
// they need travel in data- attributes, escaped, never in the script text.

/**
 * How long the login waits for lti.capabilities before using the cookie alone. Only an LMS that
 * sent `lti_storage_target`, so claims to answer, can make anyone wait this long; a busy browser
 * answering late must not be mistaken for one that never will (the cookie may be blocked).
 */
const CAPABILITIES_WAIT_MS = 5000;
/**
 * How long one put_data or get_data may take, and how often it is sent: a message posted to the
 * storage frame before its page has loaded reaches the frame's first, empty document and is lost,
 * so an unanswered message is sent again (both are idempotent) rather than given up on.
 */
const STORAGE_WAIT_MS = 2500;
const STORAGE_ATTEMPTS = 4;

/** Shared by both pages: post `message` to `recipient` and resolve with its answer, or null. */
const ASK = `function ask(recipient, targetOrigin, message, acceptOrigin, waitMs) {
    return new Promise(function (resolve) {
      var bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      var id = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
      var timer = setTimeout(function () { finish(null); }, waitMs);
      function finish(answer) { clearTimeout(timer); window.removeEventListener('message', listen); resolve(answer); }
      function listen(event) {
        var data = event.data;
        if (!data || typeof data !== 'object' || data.message_id !== id || data.subject !== message.subject + '.response') return;
        if (acceptOrigin !== null && event.origin !== acceptOrigin) return;
        finish(data.error ? null : data);
      }
      window.addEventListener('message', listen);
      message.message_id = id;
      try { recipient.postMessage(message, targetOrigin); } catch (e) { finish(null); }
    });
  }
  function askAgain(recipient, targetOrigin, message, acceptOrigin) {
    var attempt = function (left) {
      return ask(recipient, targetOrigin, Object.assign({}, message), acceptOrigin, ${STORAGE_WAIT_MS}).then(function (answer) {
        return answer || left <= 1 ? answer : attempt(left - 1);
      });
    };
    return attempt(${STORAGE_ATTEMPTS});
  }
  function frameNamed(name) {
    try { return name === '_parent' ? window.parent : window.parent.frames[name] || null; } catch (e) { return null; }
  }`;

const LOGIN_SCRIPT = `(function () {
  ${ASK}
  var data = document.getElementById('platform-storage').dataset;
  var authUrl = data.authUrl;
  var done = false;
  function proceed() { if (!done) { done = true; window.location.replace(authUrl); } }
  if (window.parent === window) return proceed();
  var platformOrigin = new URL(authUrl).origin;
  ask(window.parent, '*', { subject: 'lti.capabilities' }, null, ${CAPABILITIES_WAIT_MS}).then(function (capabilities) {
    var supported = capabilities && Array.isArray(capabilities.supported_messages) ? capabilities.supported_messages : [];
    var subjects = supported.map(function (entry) { return entry && entry.subject; });
    if (subjects.indexOf('lti.put_data') === -1 || subjects.indexOf('lti.get_data') === -1) return proceed();
    var target = frameNamed(data.target);
    if (!target) return proceed();
    return Promise.all([
      askAgain(target, platformOrigin, { subject: 'lti.put_data', key: data.stateKey, value: data.state }, platformOrigin),
      askAgain(target, platformOrigin, { subject: 'lti.put_data', key: data.nonceKey, value: data.nonce }, platformOrigin),
    ]).then(proceed);
  }).then(null, proceed);
})();`;

const LAUNCH_SCRIPT = `(function () {
  ${ASK}
  var data = document.getElementById('platform-storage').dataset;
  var form = document.getElementById('platform-storage-launch');
  function submit(state, nonce) {
    form.elements['${STORED_STATE_FIELD}'].value = state;
    form.elements['${STORED_NONCE_FIELD}'].value = nonce;
    form.submit();
  }
  var target = window.parent === window ? null : frameNamed(data.target);
  if (!target) return submit('', '');
  var origin = data.platformOrigin;
  Promise.all([
    askAgain(target, origin, { subject: 'lti.get_data', key: data.stateKey }, origin),
    askAgain(target, origin, { subject: 'lti.get_data', key: data.nonceKey }, origin),
  ]).then(function (answers) {
    var value = function (answer) { return answer && typeof answer.value === 'string' ? answer.value : ''; };
    // Single use: the LMS keeps at most 4096 characters per tool, and a value read is spent.
    ask(target, origin, { subject: 'lti.put_data', key: data.stateKey, value: null }, origin, ${STORAGE_WAIT_MS});
    ask(target, origin, { subject: 'lti.put_data', key: data.nonceKey, value: null }, origin, ${STORAGE_WAIT_MS});
    submit(value(answers[0]), value(answers[1]));
  }, function () { submit('', ''); });
})();`;

/** The login's answer when the LMS named a storage target: store state and nonce, then authorise. */
export function platformStorageLoginPage(input: { authorizationUrl: string; state: string; nonce: string; storageTarget: string }): HtmlPage {
  const attributes = {
    'auth-url': input.authorizationUrl,
    target: input.storageTarget,
    state: input.state,
    nonce: input.nonce,
    'state-key': stateKey(input.state),
    'nonce-key': nonceKey(input.state),
  };
  return htmlPage({
    title: 'Signing in to Attest',
    bodyHtml: `<h1>Signing in to Attest…</h1>
<p id="platform-storage" role="status" ${dataAttributes(attributes)}>Attest is signing you in through your LMS. This takes a moment.</p>
<noscript><p>Attest needs JavaScript to sign you in. Turn it on, then open the activity again from your course.</p></noscript>`,
    script: LOGIN_SCRIPT,
  });
}

/** The launch's answer when the cookie is missing and the LMS named a storage target. */
export function platformStorageLaunchPage(input: { launchUrl: string; idToken: string; state: string; nonce: string; storageTarget: string; platformOrigin: string }): HtmlPage {
  const attributes = {
    target: input.storageTarget,
    'platform-origin': input.platformOrigin,
    'state-key': stateKey(input.state),
    'nonce-key': nonceKey(input.state),
  };
  const hidden = (name: string, value: string) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
  return htmlPage({
    title: 'Opening Attest',
    bodyHtml: `<h1>Opening Attest…</h1>
<p id="platform-storage" role="status" ${dataAttributes(attributes)}>Attest is checking this sign-in with your LMS.</p>
<form id="platform-storage-launch" method="post" action="${escapeHtml(input.launchUrl)}">
${hidden('id_token', input.idToken)}
${hidden('state', input.state)}
${hidden(VERIFIED_FIELD, '1')}
${hidden(STORED_STATE_FIELD, '')}
${hidden(STORED_NONCE_FIELD, '')}
</form>
<noscript><p>Attest needs JavaScript to open here. Turn it on, then open the activity again from your course.</p></noscript>`,
    script: LAUNCH_SCRIPT,
    formAction: "'self'",
    referrer: 'same-origin',
  });
}

function dataAttributes(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => `data-${name}="${escapeHtml(value)}"`)
    .join(' ');
}
