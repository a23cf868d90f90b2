import { and, eq } from 'drizzle-orm';
import type { PassbackStatus } from '@attest/contracts';
import type { Database } from '../db/index.ts';
import { scorePassbacks } from '../db/index.ts';
import type { TenantKey } from '../domain/ports.ts';
import type { ScorePassbackRow } from './create-score-passback.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The passback with this id in this tenant and on this line item, or null: another tenant's or
 * another activity's id is simply not found.
 */
export async function findScorePassback(db: Database, tenant: TenantKey, lineItemUrl: string | null, id: string): Promise<ScorePassbackRow | null> {
  if (!UUID.test(id) || lineItemUrl === null) return null;
  const [row] = await db
    .select()
    .from(scorePassbacks)
    .where(
      and(
        eq(scorePassbacks.id, id),
        eq(scorePassbacks.issuer, tenant.issuer),
        eq(scorePassbacks.clientId, tenant.clientId),
        eq(scorePassbacks.deploymentId, tenant.deploymentId),
        eq(scorePassbacks.lineItemUrl, lineItemUrl),
      ),
    );
  return row ?? null;
}

export function toPassbackStatus(row: ScorePassbackRow): PassbackStatus {
  return { id: row.id, state: row.state, attempts: row.attempts, lastError: row.lastError };
}
