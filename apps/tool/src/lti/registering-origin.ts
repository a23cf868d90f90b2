import type { Request } from 'express';
import { toFrameOrigin } from './platform-registry.ts';

/**
 * The site of the LMS page that frames /lti/register: the one whose frame must be allowed to show
 * our answer, and the one recorded as where this LMS frames Attest.
 *
 * Moodle serves its configuration from its own site, so the configuration URL's origin is the
 * framing page's. Hosted Canvas does not: the configuration URL is on the issuer's host
 * (canvas.instructure.com; canvas-lms DynamicRegistrationController#oidc_configuration_url) while the
 * admin page is on the college's own domain. The browser names that page's origin in `Referer` (the
 * default strict-origin-when-cross-origin policy sends the origin across sites), so it is preferred
 * when present; the configuration URL's origin otherwise. Either is only what the request says: the
 * registration it records stays inactive until an administrator, who sees the origin, activates it.
 */
export function registeringOriginsOf(req: Request, openidConfigurationUrl: string): { readonly recorded: string | null; readonly framing: readonly string[] } {
  const fromConfiguration = toFrameOrigin(openidConfigurationUrl);
  const referer = req.get('referer');
  const fromReferer = referer ? toFrameOrigin(referer) : null;
  const recorded = fromReferer ?? fromConfiguration;
  return { recorded, framing: [...new Set([fromReferer, fromConfiguration].filter((origin): origin is string => origin !== null))] };
}
