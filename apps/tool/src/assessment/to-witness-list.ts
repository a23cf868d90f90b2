import type { AssessorRecord, WitnessListEntry } from '@attest/contracts';
import { WITNESS_STATUS_CATEGORIES } from '@attest/standards';

/**
 * Seed 004's witness status list, derived from the records rather than kept by hand: one entry per
 * witness (by name and contact), with every unit they witnessed, from signed records that are not
 * corrected. Pure, so the list can never disagree with the testimony it lists.
 */
export function toWitnessList(records: readonly AssessorRecord[]): WitnessListEntry[] {
  const byWitness = new Map<string, WitnessListEntry>();
  for (const record of records) {
    const content = record.content;
    if (record.signature === null || record.supersededBy !== null) continue;
    if (content.kind !== 'witness-testimony' && content.kind !== 'expert-witness') continue;
    const { witness } = content;
    const key = `${witness.name.toLowerCase()}\u0000${witness.contact.toLowerCase()}`;
    const entry = byWitness.get(key);
    const statusText = WITNESS_STATUS_CATEGORIES.find((c) => c.status === witness.status)?.text ?? '';
    if (!entry) {
      byWitness.set(key, { name: witness.name, position: witness.position, contact: witness.contact, relationshipToCandidate: witness.relationshipToCandidate, status: witness.status, statusText, isExpertWitness: content.kind === 'expert-witness', unitsWitnessed: [...new Set(content.unitsWitnessed)], recordIds: [record.id] });
      continue;
    }
    // The latest record states the witness's current position and status.
    byWitness.set(key, {
      ...entry,
      position: witness.position,
      relationshipToCandidate: witness.relationshipToCandidate,
      status: witness.status,
      statusText,
      isExpertWitness: entry.isExpertWitness || content.kind === 'expert-witness',
      unitsWitnessed: [...new Set([...entry.unitsWitnessed, ...content.unitsWitnessed])],
      recordIds: [...entry.recordIds, record.id],
    });
  }
  return [...byWitness.values()];
}
