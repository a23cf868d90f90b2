import { createHash } from 'node:crypto';
import { AUTHENTICITY_DECLARATION, EvidenceItemSchema, PortfolioSchema, type EvidenceItem, type EvidenceMappingTarget, type Portfolio } from '@attest/contracts';
import type { PlatformEmulator } from '@attest/platform-emulator';
import type { DemoEvidence } from './demo-evidence.ts';
import { launchToolApi } from './launch-tool-api.ts';
import type { ToolApi } from './tool-api.ts';

export interface SeedLearnerEvidenceInput {
  readonly emulator: PlatformEmulator;
  readonly toolUrl: string;
  readonly courseId: string;
  readonly learnerId: string;
  /** The activity whose portfolio the evidence is gathered in; its unit is the one the learner sees first. */
  readonly resourceLinkId: string;
  /** The course's other activities, launched once first, as a learner who opened each would have. */
  readonly otherResourceLinkIds: readonly string[];
  readonly evidence: readonly DemoEvidence[];
}

export interface SeededEvidence {
  /** How many items this call created; 0 when the learner already had every one. */
  readonly created: number;
  /** The seeded items as the server holds them now, in the order of `evidence`. */
  readonly items: readonly EvidenceItem[];
  /** The portfolio of the seeding activity after seeding, with the server's verdict. */
  readonly portfolio: Portfolio;
}

const targetKey = (target: EvidenceMappingTarget) => `${target.unitId}|${target.target}|${target.ref}`;
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

function hasSameTargets(item: EvidenceItem, targets: readonly EvidenceMappingTarget[]): boolean {
  const have = new Set(item.mappings.map(targetKey));
  return have.size === targets.length && targets.every((target) => have.has(targetKey(target)));
}

async function findItem(api: ToolApi, itemId: string): Promise<EvidenceItem> {
  const item = (await api.get('/api/portfolio', PortfolioSchema)).items.find((candidate) => candidate.id === itemId);
  if (!item) throw new Error(`Evidence ${itemId} was created but is not in the learner's portfolio`);
  return item;
}

/**
 * Gives a learner their evidence through the tool's own API, as their browser would: a real
 * launch, then the same create, upload, mapping and submit calls the UI makes, so the demo holds
 * nothing the product could not have produced. Each step first checks what the server already
 * has (an item by title, a file by content hash, the set of mappings, the submitted state), so a
 * second run, or a run after one that stopped half-way, completes the evidence without doubling it.
 */
export async function seedLearnerEvidence(input: SeedLearnerEvidenceInput): Promise<SeededEvidence> {
  const { emulator, toolUrl, courseId, learnerId } = input;
  for (const resourceLinkId of input.otherResourceLinkIds) await launchToolApi(emulator.launchUrl({ courseId, userId: learnerId, resourceLinkId }), toolUrl);
  const { api } = await launchToolApi(emulator.launchUrl({ courseId, userId: learnerId, resourceLinkId: input.resourceLinkId }), toolUrl);

  const existing = (await api.get('/api/portfolio', PortfolioSchema)).items;
  const items: EvidenceItem[] = [];
  let created = 0;
  for (const seed of input.evidence) {
    let item = existing.find((candidate) => candidate.title === seed.draft.title) ?? null;
    if (item === null) {
      item = await api.post('/api/evidence', seed.draft, EvidenceItemSchema);
      created += 1;
    }
    const path = `/api/evidence/${encodeURIComponent(item.id)}`;
    for (const file of seed.files) {
      if (item.files.some((stored) => stored.sha256 === sha256(file.content))) continue;
      // The reply is the item or the file; either way the item's version moved, so read it back.
      await api.upload(`${path}/files`, file);
      item = await findItem(api, item.id);
    }
    if (!hasSameTargets(item, seed.mappings)) item = await api.put(`${path}/mappings`, { baseVersion: item.version, mappings: seed.mappings }, EvidenceItemSchema);
    if (seed.isSubmitted && item.state !== 'submitted') item = await api.post(`${path}/submit`, { baseVersion: item.version, declaration: AUTHENTICITY_DECLARATION }, EvidenceItemSchema);
    items.push(item);
  }
  return { created, items, portfolio: await api.get('/api/portfolio', PortfolioSchema) };
}
