import { z } from 'zod';
import type { LaunchContext, RosterMember, RosterSource } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';
import { MEDIA_TYPE_MEMBERSHIP_CONTAINER, SCOPE_NRPS_MEMBERSHIP_READONLY } from './claims.ts';
import type { PlatformServiceClient } from './platform-service-client.ts';

/** NRPS 2.0 §2.2 membership container: the member fields Attest shows. */
const MembershipContainerSchema = z.looseObject({
  members: z.array(
    z.looseObject({
      user_id: z.string(),
      name: z.string().nullish(),
      email: z.string().nullish(),
      roles: z.array(z.string()).default([]),
      status: z.string().nullish(),
    }),
  ),
});

/**
 * A big course is paged (NRPS §2.4.1 `Link: rel="next"`): Canvas at 50 members a page whatever the
 * tool asks (app/models/lti/ims/providers/memberships_provider.rb, MAX_PAGE_SIZE), so 2,000 members are 40 pages. The
 * bound only stops an LMS whose `next` never ends; 20,000 members at Canvas's page size.
 */
export const MAX_ROSTER_PAGES = 400;

export function nextPageOf(linkHeader: string | null): string | null {
  if (!linkHeader) return null;
  for (const part of linkHeader.split(',')) {
    const match = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (match && /rel\s*=\s*"?next"?/.test(match[2] ?? '')) return match[1] ?? null;
  }
  return null;
}

export function createNrpsRosterSource(client: Pick<PlatformServiceClient, 'call'>, options: { maxPages?: number } = {}): RosterSource {
  const maxPages = options.maxPages ?? MAX_ROSTER_PAGES;
  return {
    async membersOf(launch: LaunchContext): Promise<readonly RosterMember[]> {
      if (!launch.membershipsUrl) throw new AppError('platform_unavailable', 'This course’s LMS does not share its roster with Attest (no NRPS).');
      const members: RosterMember[] = [];
      let next: string | null = launch.membershipsUrl;
      for (let page = 0; next; page++) {
        // A roster cut short would quietly drop learners from every caseload: refuse instead.
        if (page === maxPages) throw new AppError('platform_unavailable', `The LMS listed this course’s roster in more than ${maxPages} pages; Attest stopped reading it rather than show part of it.`, { logMessage: `NRPS next page after ${maxPages} pages: ${next}` });
        const result = await client.call(launch, SCOPE_NRPS_MEMBERSHIP_READONLY, next, { headers: { accept: MEDIA_TYPE_MEMBERSHIP_CONTAINER } });
        if (!result.ok) throw new AppError('platform_unavailable', 'The LMS did not return the course roster.', { logMessage: result.message });
        const parsed = MembershipContainerSchema.safeParse(await result.response.json().catch(() => null));
        if (!parsed.success) throw new AppError('platform_unavailable', 'The LMS returned a roster Attest cannot read.', { logMessage: parsed.error.message });
        for (const member of parsed.data.members) {
          members.push({ userId: member.user_id, name: member.name ?? null, email: member.email ?? null, roles: member.roles, status: member.status ?? null });
        }
        next = nextPageOf(result.response.headers.get('link'));
      }
      return members;
    },
  };
}
