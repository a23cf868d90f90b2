// Canvas's LTI platform storage (cookie-less launches), canvas mode only. Sources, canvas-lms:
// - doc/lti_platform_storage.md ("Platform Storage", Canvas's own implementation notes) and
//   doc/api/lti_window_post_message.md (lti.capabilities, lti.put_data, lti.get_data);
// - lib/lti/platform_storage.rb: FORWARDING_TARGET = "post_message_forwarding", the value of
//   `lti_storage_target` Canvas sends when the lti_platform_storage flag is on (as on hosted Canvas);
// - app/models/lti/lti_advantage_adapter.rb#login_request and gems/lti-advantage/.../login_request.rb:
//   the login initiation carries client_id, deployment_id, canvas_environment, canvas_region and
//   lti_storage_target; app/controllers/lti/ims/authentication_controller.rb#lti_storage_target adds
//   the same lti_storage_target to the id_token form_post;
// - app/views/lti/platform_storage/_forwarding_frame.html.erb + post_message_forwarding.html.erb +
//   public/javascripts/lti_post_message_forwarding.js: a hidden sibling frame named
//   post_message_forwarding, on the OIDC authorization host, that forwards a tool's messages to the
//   Canvas window (adding sourceToolInfo) and Canvas's answers back to the tool;
// - ui/shared/lti/jquery/messages.ts#ltiMessageHandler, response_messages.ts, platform_storage.ts and
//   subjects/lti.capabilities.ts, lti.put_data.ts, lti.get_data.ts: the answers and their shapes.
// The emulator serves every Canvas URL from one host, so the forwarding frame and the authorization
// endpoint share the course page's origin, as sso.canvaslms.com and the school's domain do not;
// what a tool must do (address the forwarding frame, target the authorization origin) is the same.

/** lib/lti/platform_storage.rb FORWARDING_TARGET: the frame name sent as `lti_storage_target`. */
export const FORWARDING_FRAME_NAME = 'post_message_forwarding';
/** Canvas's route for the forwarding frame (lti_post_message_forwarding_url). */
export const FORWARDING_FRAME_PATH = '/lti/post_message_forwarding';

/**
 * The parameters Canvas adds to the OIDC login initiation (LtiAdvantageAdapter#login_request):
 * `canvas_environment` is ApplicationController.test_cluster_name || "prod", `canvas_region` the
 * shard's region || "not_configured", `deployment_id` the tool's deployment id, and
 * `lti_storage_target` the forwarding frame's name (left out only for the mobile apps' web views).
 */
export function canvasLoginExtras(deploymentId: string): Record<string, string> {
  return {
    deployment_id: deploymentId,
    canvas_environment: 'prod',
    canvas_region: 'not_configured',
    lti_storage_target: FORWARDING_FRAME_NAME,
  };
}

/** The hidden sibling frame every Canvas page renders (_forwarding_frame.html.erb). */
export function forwardingFrameHtml(): string {
  return `<iframe name="${FORWARDING_FRAME_NAME}" id="${FORWARDING_FRAME_NAME}" title="${FORWARDING_FRAME_NAME}" src="${FORWARDING_FRAME_PATH}" sandbox="allow-scripts allow-same-origin" style="display:none"></iframe>`;
}

/**
 * public/javascripts/lti_post_message_forwarding.js, handler(): a message from the parent origin is
 * Canvas answering, sent on to the tool window named by sourceToolInfo.windowId at its own origin;
 * any other message is a tool's, sent up to Canvas (window.top) with sourceToolInfo {origin, windowId}
 * taken from the event, so a tool cannot claim another's origin.
 */
export const forwardingFrameScript = `(function () {
  var parentOrigin = window.location.origin;
  var windows = [];
  window.addEventListener('message', function (event) {
    var message = event.data;
    if (typeof message === 'string') { try { message = JSON.parse(message); } catch (e) { return; } }
    if (!message || typeof message !== 'object') return;
    if (event.origin === parentOrigin && event.source === window.top) {
      var info = message.sourceToolInfo;
      if (!info) return;
      var reply = {};
      for (var name in message) if (name !== 'sourceToolInfo') reply[name] = message[name];
      var target = windows[info.windowId];
      if (target) target.postMessage(reply, info.origin);
      return;
    }
    var windowId = windows.indexOf(event.source);
    if (windowId === -1) { windows.push(event.source); windowId = windows.length - 1; }
    var forwarded = {};
    for (var key in message) forwarded[key] = message[key];
    forwarded.sourceToolInfo = { origin: event.origin, windowId: windowId };
    window.top.postMessage(forwarded, parentOrigin);
  });
})();`;

/**
 * The Canvas window's answers to lti.capabilities, lti.put_data and lti.get_data
 * (messages.ts#ltiMessageHandler and the subject handlers):
 * - every answer is `{subject: '<subject>.response', message_id?, ...}` posted to event.source at
 *   event.origin (response_messages.ts#sendResponse); errors carry `error: {code, message?}` with the
 *   codes bad_request, unsupported_subject, storage_exhaustion;
 * - a message forwarded by the post_message_forwarding frame keeps its sourceToolInfo in the answer,
 *   so the frame can route it back; such a message counts only if it really comes from that frame;
 * - lti.capabilities lists the subjects, put_data/get_data with frame 'post_message_forwarding';
 * - put_data/get_data need `key` and `message_id` (bad_request otherwise); a put_data with no value
 *   clears the key; values live in localStorage under `lti|platform_storage|<tool>|<key>`, at most
 *   500 keys and 4096 characters (keys + values) per tool (platform_storage.ts#addToLimit,
 *   storage_exhaustion past either).
 * Deviation, the stricter choice: Canvas names the tool by event.origin, which for a forwarded
 * message is the forwarding frame's own origin; the emulator partitions by the tool's origin from
 * sourceToolInfo (set by the forwarding frame from the event, never by the tool), as the doc's
 * "partitioned by tool" and the LTI postMessage Storage spec require. Subjects other than these
 * three and lti.frameResize get unsupported_subject.
 */
export const platformStorageScript = `(function () {
  var KEY_LIMIT = 500, CHAR_LIMIT = 4096;
  var limits = {};
  var subjects = ['lti.capabilities', 'lti.get_data', 'lti.put_data', 'lti.frameResize'];
  function storageKey(tool, key) { return 'lti|platform_storage|' + tool + '|' + key; }
  function limitFor(tool) { return limits[tool] || (limits[tool] = { keyCount: 0, charCount: 0 }); }
  window.addEventListener('message', function (event) {
    var message = event.data;
    if (typeof message === 'string') { try { message = JSON.parse(message); } catch (e) { return; } }
    if (!message || typeof message !== 'object') return;
    var subject = message.subject || message.messageType;
    if (typeof subject !== 'string' || /\\.response$/.test(subject) || subject === 'lti.frameResize') return;
    var forwarder = document.getElementById('${FORWARDING_FRAME_NAME}');
    var viaForwarder = !!message.sourceToolInfo;
    if (viaForwarder && (!forwarder || event.source !== forwarder.contentWindow || event.origin !== window.location.origin)) return;
    var tool = viaForwarder ? String(message.sourceToolInfo.origin) : event.origin;
    function respond(contents) {
      var reply = { subject: subject + '.response' };
      if (message.message_id) reply.message_id = message.message_id;
      if (viaForwarder) reply.sourceToolInfo = message.sourceToolInfo;
      for (var name in contents) reply[name] = contents[name];
      event.source.postMessage(reply, event.origin);
    }
    function fail(code, text) { var error = { code: code }; if (text) error.message = text; respond({ error: error }); }
    if (subjects.indexOf(subject) === -1) return fail('unsupported_subject');
    if (subject === 'lti.capabilities') {
      return respond({ supported_messages: subjects.map(function (name) {
        return name === 'lti.get_data' || name === 'lti.put_data' ? { subject: name, frame: '${FORWARDING_FRAME_NAME}' } : { subject: name };
      }) });
    }
    var key = message.key;
    if (!key) return fail('bad_request', "Missing required 'key' field");
    if (!message.message_id) return fail('bad_request', "Missing required 'message_id' field");
    var limit = limitFor(tool);
    if (subject === 'lti.get_data') return respond({ key: key, value: window.localStorage.getItem(storageKey(tool, key)) });
    var value = message.value;
    if (value) {
      var length = String(key).length + String(value).length;
      if (limit.keyCount >= KEY_LIMIT) return fail('storage_exhaustion', 'Reached key limit for tool');
      if (limit.charCount + length > CHAR_LIMIT) return fail('storage_exhaustion', 'Reached byte limit for tool');
      limit.keyCount += 1;
      limit.charCount += length;
      window.localStorage.setItem(storageKey(tool, key), String(value));
      return respond({ key: key, value: value });
    }
    var old = window.localStorage.getItem(storageKey(tool, key));
    if (old) {
      limit.keyCount = Math.max(0, limit.keyCount - 1);
      limit.charCount = Math.max(0, limit.charCount - String(key).length - old.length);
      window.localStorage.removeItem(storageKey(tool, key));
    }
    return respond({ key: key });
  });
})();`;
