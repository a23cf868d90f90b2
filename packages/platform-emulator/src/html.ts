// Small HTML helpers for the pages the emulator serves (hand-over forms, course page, gradebook).

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => escapes[ch] ?? ch);
}

export function page(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25rem .5rem;text-align:left}</style>
</head><body>${body}${script ? `<script>${script}</script>` : ''}</body></html>`;
}

/**
 * The self-submitting form LMSs use to hand the browser over with a POST (OIDC login initiation,
 * the id_token form_post). Without JavaScript the button still submits it.
 */
export function autoPostForm(action: string, fields: Record<string, string>, title = 'Continuing…'): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return page(
    title,
    `<form id="ltiAuthForm" name="ltiAuthForm" method="post" action="${escapeHtml(action)}" enctype="application/x-www-form-urlencoded">
${inputs}
<noscript><button type="submit">Continue</button></noscript>
</form>`,
    'document.getElementById("ltiAuthForm").submit();',
  );
}
