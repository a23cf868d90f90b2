import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { AUDIT_ACTIONS } from '@attest/contracts';
import type { HistoryEntry } from '@attest/contracts';
import type { ApiClient } from '../src/api/api-client.ts';
import { describeHistoryEntry } from '../src/assessor/describe-history-entry.ts';
import { HistoryList, UnitHistory } from '../src/assessor/unit-history.tsx';
import { textOf } from './portfolio-factories.ts';
import { withQueryClient } from './with-query-client.tsx';

const noCall = () => Promise.reject(new Error('no call expected'));
const api: ApiClient = { call: noCall, getBlob: noCall, urlOf: () => '', token: 't', baseUrl: '' };

let sequence = 0;
function anEntry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  sequence += 1;
  return {
    sequence,
    action: 'evidence.submitted',
    actor: { type: 'user', userId: 'learner-1', name: 'Priya Patel', role: 'learner' },
    subject: { type: 'evidence', id: 'item-1', label: 'Returns desk log' },
    recordedAt: '2026-12-03T14:05:00.000Z',
    ...overrides,
  };
}

describe('UnitHistory', () => {
  it('starts collapsed under its summary, asking the server for nothing until it is opened', () => {
    const html = renderToStaticMarkup(withQueryClient(<UnitHistory api={api} learnerUserId="learner-1" />));
    expect(html).toMatch(/^<details class="history"><summary>Who did what, and when<\/summary><\/details>$/);
  });
});

describe('HistoryList', () => {
  it('tells each act in plain words, oldest first, with who did it, to what, and when', () => {
    const html = renderToStaticMarkup(
      <HistoryList
        timeZone="Europe/London"
        entries={[
          anEntry(),
          anEntry({ action: 'evidence.judged', actor: { type: 'user', userId: 'assessor-1', name: 'Ada Assessor', role: 'assessor' }, recordedAt: '2026-12-03T15:30:00.000Z' }),
          anEntry({ action: 'record.signed', actor: { type: 'user', userId: 'assessor-1', name: 'Ada Assessor', role: 'assessor' }, subject: { type: 'assessor-record', id: 'r1', label: 'observation' } }),
          anEntry({ action: 'score.sent', actor: { type: 'system', userId: null, name: null, role: 'score-worker' }, subject: { type: 'score', id: 's1', label: 'https://lms.example/lineitems/1' } }),
        ]}
      />,
    );
    const lines = [...html.matchAll(/<li>(.*?)<\/li>/g)].map((m) => textOf(m[1] ?? ''));
    expect(lines).toEqual([
      'Priya Patel submitted evidence Returns desk log — 3 Dec 2026, 14:05',
      'Ada Assessor judged evidence Returns desk log — 3 Dec 2026, 15:30',
      'Ada Assessor signed an observation record — 3 Dec 2026, 14:05',
      'Attest sent the unit’s score to the gradebook — 3 Dec 2026, 14:05',
    ]);
    expect(html).toContain('<em>Returns desk log</em>');
    expect(html).toContain('<time dateTime="2026-12-03T14:05:00.000Z">');
  });

  it('says so when nothing has been done yet', () => {
    expect(textOf(renderToStaticMarkup(<HistoryList entries={[]} />))).toBe('Nothing has been done on this unit yet.');
  });
});

describe('describeHistoryEntry', () => {
  it('has words for every action in the audit vocabulary, unit.reopened included', () => {
    for (const action of AUDIT_ACTIONS) expect(describeHistoryEntry(anEntry({ action }), 'UTC').did, action).toMatch(/^[a-z].{5,}/);
    expect(describeHistoryEntry(anEntry({ action: 'unit.reopened', actor: { type: 'user', userId: 'a', name: null, role: 'assessor' } }), 'UTC')).toMatchObject({ who: 'An assessor', did: 'reopened the unit, withdrawing its sign-off' });
  });

  it('names the command line and nameless learners in words', () => {
    expect(describeHistoryEntry(anEntry({ actor: { type: 'cli', userId: null, name: null, role: 'administrator' } })).who).toBe('An administrator (command line)');
    expect(describeHistoryEntry(anEntry({ actor: { type: 'user', userId: 'l', name: null, role: 'learner' } })).who).toBe('The learner');
  });
});
