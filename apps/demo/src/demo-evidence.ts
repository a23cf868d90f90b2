import type { EvidenceDraft, EvidenceMappingTarget } from '@attest/contracts';
import { encodePng, type Rgb } from './encode-png.ts';

export interface DemoEvidenceFile {
  readonly name: string;
  readonly mediaType: string;
  readonly content: Buffer;
}

/** One piece of evidence the demo's first learner has already put together. */
export interface DemoEvidence {
  readonly draft: EvidenceDraft;
  readonly files: readonly DemoEvidenceFile[];
  readonly mappings: readonly EvidenceMappingTarget[];
  /** Submitted with the authenticity declaration, or left as a draft the learner is still working on. */
  readonly isSubmitted: boolean;
}

export interface DemoEvidenceUnits {
  /** "Give customers a positive impression of yourself and your organisation" (201). */
  readonly positiveImpression: string;
  /** "Promote additional services or products to customers" (202). */
  readonly promoteServices: string;
}

function daysBefore(today: string, days: number): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

const statements = (unitId: string, refs: readonly string[]): EvidenceMappingTarget[] => refs.map((ref) => ({ unitId, target: 'statement', ref }));

const cork: Rgb = [196, 154, 108];
const header: Rgb = [178, 34, 52];
const paper: Rgb = [250, 250, 245];
const leaflets: readonly Rgb[] = [
  [255, 221, 87],
  [120, 170, 230],
  [140, 200, 140],
];
const ink: Rgb = [60, 60, 70];

/**
 * A photo of the returns desk's information board as a learner would take it on a phone: a cork
 * board, the store's red header, the printed returns policy and three leaflets, with lines of
 * "text". Drawn, not shipped as a binary, so the repository holds no opaque fixture.
 */
export function drawReturnsBoardPhoto(width = 480, height = 320): Buffer {
  const boxes: { x0: number; y0: number; x1: number; y1: number; colour: Rgb; isText: boolean }[] = [
    { x0: 0.04, y0: 0.03, x1: 0.96, y1: 0.17, colour: header, isText: false },
    { x0: 0.06, y0: 0.24, x1: 0.46, y1: 0.92, colour: paper, isText: true },
    ...leaflets.map((colour, index) => ({ x0: 0.52 + index * 0.15, y0: 0.26 + (index % 2) * 0.08, x1: 0.64 + index * 0.15, y1: 0.7 + (index % 2) * 0.08, colour, isText: true })),
  ];
  return encodePng({
    width,
    height,
    pixel(x, y) {
      const u = x / width;
      const v = y / height;
      for (const box of [...boxes].reverse()) {
        if (u < box.x0 || u > box.x1 || v < box.y0 || v > box.y1) continue;
        // Lines of print: every few pixels a dark row, inset from the edges.
        const isPrint = box.isText && u > box.x0 + 0.02 && u < box.x1 - 0.02 && v > box.y0 + 0.05 && Math.floor(y / 3) % 3 === 0 && (x * 7 + y) % 23 !== 0;
        return isPrint ? ink : box.colour;
      }
      // Cork grain, so the picture is not one flat colour.
      const grain = ((x * 31 + y * 17) % 13) - 6;
      return [cork[0] + grain, cork[1] + grain, cork[2] + grain];
    },
  });
}

const witnessStatement = `Witness statement

Candidate: Lee Learner
Witness: Dana Shah, Customer Service Team Leader, Returns and Exchanges, Riverside store
Relationship to candidate: line manager for 14 months; I work alongside Lee on the returns desk on most shifts.

What I saw (Saturday, busy morning, queue of about eight customers):
Lee was in full uniform with a name badge and had the desk tidy before we opened. Each customer was
greeted straight away with eye contact and a "good morning, how can I help?", including a customer
who had been waiting and was clearly annoyed. Lee apologised for the wait, stayed calm when the
customer raised their voice, and explained what would happen next.

A customer asked whether a lamp bought online could be returned in store. Lee checked the returns
policy on the till screen rather than guessing, confirmed it could, and told the customer how long
the refund would take to reach their card. Another customer asked about the extended guarantee on a
coffee machine; Lee explained what it covered and what it cost, gave them the leaflet, and waited
while they read it and asked questions. They decided to buy it and Lee checked they knew how to
register it.

I confirm that this is a true account of what I saw.
Dana Shah
`;

/**
 * What the demo's first learner (Lee, on a department store's returns desk) has already gathered
 * for the two units placed in the course. Three items, after the recording forms' own examples:
 * a reflective account of a complaint, a photo of a work product, and a witness statement from a
 * supervisor. Two are submitted, the witness statement is still a draft, and the mappings leave
 * some statements of each unit open, so the grid is partly filled and the missing list is short
 * but not empty. Dates are counted back from `today`, so the evidence is always recent.
 */
export function demoEvidence(units: DemoEvidenceUnits, today: string): readonly DemoEvidence[] {
  const { positiveImpression: u201, promoteServices: u202 } = units;
  return [
    {
      draft: {
        title: 'Complaint about a faulty kettle on the returns desk',
        description:
          'A customer came to the returns desk upset because her new kettle had stopped working after two days, and she had already been to the store once that week. ' +
          'I greeted her, apologised, and let her explain everything before I answered. I repeated back what she wanted (a working kettle today, not a refund) to check I had understood. ' +
          'The same model was out of stock, so I explained why I could not swap it like for like, showed her two similar kettles at the same price and kept her updated while a colleague checked the stockroom. ' +
          'She chose one of the alternatives. When she mentioned she had nearly bought the extended guarantee, I told her what it covered; she said she would think about it, so I thanked her and did not push it. ' +
          'Looking back, I stayed calm and polite, but next time I would offer her a seat while she waited.',
        evidenceType: 'personal-statement',
        activityDate: daysBefore(today, 12),
        customerRef: 'Mrs P, returns desk',
        occasionRef: 'Tuesday lunchtime',
        workSetting: 'real-job',
      },
      files: [],
      mappings: [
        ...statements(u201, ['201.1.2', '201.1.3', '201.1.5', '201.1.6', '201.2.5', '201.3.4']),
        ...statements(u202, ['202.1.3', '202.3.1']),
      ],
      isSubmitted: true,
    },
    {
      draft: {
        title: 'Photo of the returns information board I set up',
        description:
          'I set up the board beside the returns desk so customers can see the returns policy, refund times and the extended guarantee leaflets while they queue. ' +
          'I checked the details with my team leader before printing them, and I update the leaflets when the offers change.',
        evidenceType: 'photo',
        activityDate: daysBefore(today, 9),
        customerRef: null,
        occasionRef: 'Monday before opening',
        workSetting: 'real-job',
      },
      files: [{ name: 'returns-information-board.png', mediaType: 'image/png', content: drawReturnsBoardPhoto() }],
      mappings: [...statements(u201, ['201.3.1', '201.3.2']), ...statements(u202, ['202.1.1', '202.1.2'])],
      isSubmitted: true,
    },
    {
      draft: {
        title: 'Witness statement from my team leader, Dana Shah',
        description: 'Dana watched me on the returns desk during the Saturday morning rush and wrote down what she saw. I still need to ask her to sign the witness status list before I submit this.',
        evidenceType: 'witness-statement',
        activityDate: daysBefore(today, 6),
        customerRef: 'Saturday queue, several customers',
        occasionRef: 'Saturday morning rush',
        workSetting: 'real-job',
      },
      files: [{ name: 'witness-statement-dana-shah.txt', mediaType: 'text/plain', content: Buffer.from(witnessStatement, 'utf8') }],
      mappings: [
        ...statements(u201, ['201.1.1', '201.1.7', '201.2.1', '201.2.3']),
        ...statements(u202, ['202.2.3', '202.2.4', '202.3.3']),
      ],
      isSubmitted: false,
    },
  ];
}
