// Names and Role Provisioning Services 2.0 (https://www.imsglobal.org/spec/lti-nrps/v2p0).
import { Router } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { MediaType, Scope } from '../lti-vocabulary.ts';
import { requireAccessToken } from './require-access-token.ts';
import { requireUserAgent } from './require-user-agent.ts';
import { paginate } from './ags-routes.ts';
import { canvasContextRoles, canvasMembershipPage } from '../canvas/service-rules.ts';

export function createNrpsRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const { state, profile } = ctx;

  router.get(profile.paths.memberships, requireUserAgent(ctx, 'nrps'), (req, res) => {
    const token = requireAccessToken(ctx, req, res, [Scope.nrps]);
    if (!token) return;
    const courseId = String(req.params['courseId']);
    const course = state.courses.get(courseId);
    if (!course) {
      res.status(404).json({ error: 'not_found', message: `Course ${courseId} doesn't exist` });
      return;
    }
    // Moodle's binding segment is the tool type id (contextmemberships.php checks it against the token).
    if (profile.mode === 'moodle' && String(req.params['typeId']) !== state.getTool(token.clientId).deploymentId) {
      res.status(401).json({ error: 'unauthorized', message: 'The binding does not match the access token' });
      return;
    }
    const roleFilter = typeof req.query['role'] === 'string' ? req.query['role'] : null;
    const members = [...(state.enrolments.get(courseId) ?? new Map()).entries()]
      .map(([userId, role]) => {
        const user = state.getUser(userId);
        // NRPS §2.3 member: user_id, roles, status, plus name/email as the platform's privacy allows.
        return {
          status: 'Active',
          user_id: user.id,
          name: user.name,
          given_name: user.givenName,
          family_name: user.familyName,
          email: user.email,
          // Canvas lists context roles only (service-rules.ts); Moodle decides them as for a launch
          // but at course level, where a non-editing teacher is a Learner (platform-profile.ts).
          roles: profile.mode === 'canvas' ? canvasContextRoles(role) : (profile.memberRolesFor ?? profile.rolesFor)(role, user),
        };
      })
      // NRPS §2.4.1: `role` filters by a role URI (or its short name for context roles).
      .filter((member) => roleFilter === null || member.roles.some((r) => r === roleFilter || r.endsWith(`#${roleFilter}`)));
    const page = profile.mode === 'canvas' ? canvasMembershipPage(req, res, members, ctx.baseUrl()) : paginate(req, res, members);
    const url = `${ctx.baseUrl()}${req.originalUrl.split('?')[0] ?? ''}`;
    res.type(MediaType.membershipContainer).send(
      JSON.stringify({ id: url, context: { id: state.contextIdOf(courseId), label: course.label, title: course.title }, members: page }),
    );
  });

  return router;
}
