import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { AUTHENTICITY_DECLARATION, type Portfolio } from '@attest/contracts';
import type { ApiClient } from '../src/api/api-client.ts';
import { ConflictPanel, EvidenceEditor, SubmitPanel } from '../src/portfolio/evidence-editor.tsx';
import { HistoryList } from '../src/portfolio/evidence-history.tsx';
import { UnitTargets } from '../src/portfolio/mapping-editor.tsx';
import { PortfolioView } from '../src/portfolio/portfolio-view.tsx';
import { makeItem, makePortfolio, makeUnit, mapping, textOf } from './portfolio-factories.ts';
import { withQueryClient } from './with-query-client.tsx';

const noCall = () => Promise.reject(new Error('no call expected'));
const api: ApiClient = { call: noCall, getBlob: noCall, urlOf: () => '', token: 't', baseUrl: '' };
const ignore = () => undefined;

function renderView(options: { items?: ReturnType<typeof makeItem>[]; signedOff?: { at: string; byName: string | null } | null; nextStep?: Portfolio['nextStep'] } = {}) {
  const unit = makeUnit();
  const items = options.items ?? [];
  const portfolio = makePortfolio(unit, items, { signedOff: options.signedOff ?? null, ...(options.nextStep === undefined ? {} : { nextStep: options.nextStep }), unitFeedback: [{ id: 'f1', authorName: 'Sam Assessor', text: 'Good start.', createdAt: '2026-05-10T09:00:00Z', actionPlan: 'Record a complaint call.' }] });
  return renderToStaticMarkup(<PortfolioView unit={unit} portfolio={portfolio} items={items} verdict={portfolio.verdict} isPreview={false} onAdd={ignore} onAddFiles={ignore} onOpen={ignore} shouldFocusHeading={false} />);
}

describe('PortfolioView', () => {
  it('shows title, level and purpose, and progress as a labelled progress bar', () => {
    const html = renderView({ items: [makeItem({ mappings: [mapping('209.1.1', { decision: 'accepted' })] })] });
    expect(html).toMatch(/<h1[^>]*>Deal with customers by telephone<\/h1>/);
    expect(textOf(html)).toContain('Level 2');
    expect(textOf(html)).toContain('This unit is about telephone calls.');
    const label = /<label for="([^"]+)" class="progress-label">([^<]*(?:<!-- -->[^<]*)*)<\/label>/.exec(html);
    expect(label?.[2]?.replace(/<!-- -->/g, '')).toBe('1 of 4 statements met');
    expect(html).toContain(`<progress id="${label?.[1]}" class="progress" max="4" value="1"`);
  });

  it('puts the recording form in a focusable, labelled region that scrolls on its own', () => {
    const html = renderView({ items: [makeItem({ method: 'WT', mappings: [mapping('209.1.2', { method: 'WT', decision: 'referred' })] })] });
    expect(html).toMatch(/<div class="grid-scroll" role="region" tabindex="0" aria-label="Recording form for Deal with customers by telephone"/);
    expect(textOf(html)).toContain('209.1.2 keep your customer informed Not met WT referred');
  });

  it('lists what is missing in plain words, naming evidence by its label', () => {
    const text = textOf(renderView({ items: [makeItem({ method: 'WT', mappings: [mapping('209.1.2', { method: 'WT', decision: 'accepted' })] })] }));
    expect(text).toContain('What is still missing');
    expect(text).toContain('PC 209.1.2 “keep your customer informed” (partly met) 209.1.2 must be directly observed by the assessor; so far it is evidenced only by WT. 1 accepted piece of evidence (E1).');
    // The observation rule's finding is the statement's own; it is not listed a second time.
    expect(text.match(/must be directly observed/g)).toHaveLength(1);
    expect(text).toContain('No evidence mapped yet to PC 209.1.1 “operate the telephone equipment”; PC 3 “greet the caller”; Knowledge 3 “why greetings matter”.');
  });

  it('announces how many requirements are still missing in a status region', () => {
    const html = renderView();
    expect(html).toMatch(/<p role="status" class="missing-count">\d+ requirements are still missing\.<\/p>/);
  });

  it('shows the signed-off banner only when the unit is signed off', () => {
    expect(textOf(renderView())).not.toContain('This unit is signed off');
    const text = textOf(renderView({ signedOff: { at: '2026-05-12T10:00:00Z', byName: 'Sam Assessor' }, nextStep: { audience: 'learner', code: 'signed-off', count: 0 } }));
    expect(text).toContain('This unit is signed off by Sam Assessor on 12 May 2026.');
    expect(text).toContain('State Signed off');
  });

  it.each<[Portfolio['nextStep'], string]>([
    [{ audience: 'learner', code: 'submit-drafts', count: 2 }, 'State Submit your draft evidence (2 items) for assessment'],
    [{ audience: 'learner', code: 'add-evidence', count: 13 }, 'State Add evidence for the 13 requirements that have none yet'],
    [{ audience: 'learner', code: 'sign-declaration', count: 0 }, 'State Sign your declaration'],
    [{ audience: 'learner', code: 'wait-for-report', count: 0 }, 'State Waiting for your assessor’s assessment report'],
    [{ audience: 'learner', code: 'ready-for-sign-off', count: 0 }, 'State Ready for sign-off by your assessor'],
  ])('shows the learner the server’s next step as the state: %j', (nextStep, words) => {
    expect(textOf(renderView({ nextStep }))).toContain(words);
  });

  it('does not say ready for sign-off while the declaration is missing, even with every statement met', () => {
    const text = textOf(renderView({ nextStep: { audience: 'learner', code: 'sign-declaration', count: 0 } }));
    expect(text).not.toContain('Ready for sign-off');
  });

  it('shows the unit’s feedback with its action plan', () => {
    const text = textOf(renderView());
    expect(text).toContain('Feedback on the unit Sam Assessor, 10 May 2026 Good start. Action plan Record a complaint call.');
  });

  it('says there is no evidence yet and offers to add some', () => {
    const html = renderView();
    expect(textOf(html)).toContain('No evidence yet.');
    expect(html).toContain('>Add evidence</button>');
  });

  it('names each item’s open button by its label and title and says whether it is locked', () => {
    const html = renderView({ items: [makeItem({ title: 'Call log', state: 'submitted', submittedAt: '2026-05-02T10:00:00Z' })] });
    expect(html).toContain('aria-label="Open E1: Call log"');
    expect(textOf(html)).toContain('Submitted, locked');
  });
});

describe('EvidenceEditor', () => {
  const unit = makeUnit();
  const render = (item: ReturnType<typeof makeItem> | null) =>
    renderToStaticMarkup(withQueryClient(<EvidenceEditor api={api} unit={unit} portfolio={makePortfolio(unit, item === null ? [] : [item])} item={item} label="E1" today="2026-05-20" missing={[]} onSaved={ignore} onPreview={ignore} onClose={ignore} />));

  it('locks evidence a signed-off unit rests on, naming the unit, with no way to reopen it', () => {
    const item = makeItem({ state: 'submitted', submittedAt: '2026-05-02T10:00:00Z', mappings: [mapping('209.1.1', { unitId: unit.id, decision: 'accepted' })] });
    const signed = renderToStaticMarkup(
      withQueryClient(<EvidenceEditor api={api} unit={unit} portfolio={makePortfolio(unit, [item], { signedUnits: [{ unitId: unit.id, label: '209 Deliver service' }] })} item={item} label="E1" today="2026-05-20" missing={[]} onSaved={ignore} onPreview={ignore} onClose={ignore} />),
    );
    expect(textOf(signed)).toContain('It is part of the unit 209 Deliver service, which your assessor has signed off, so it can no longer change.');
    expect(textOf(signed)).not.toContain('Edit and reopen this evidence');
    expect(signed).toMatch(/<fieldset class="form-section" disabled="">/);
    expect(textOf(render(item))).toContain('Edit and reopen this evidence');
  });

  it('labels every field and explains the work settings', () => {
    const html = render(null);
    const labels = [...html.matchAll(/<label for="([^"]+)"[^>]*>([^<]+)<\/label>/g)].map((m) => m[2]);
    expect(labels).toEqual(expect.arrayContaining(['Title', 'Description or reflective account', 'Date of the activity', 'Customer (optional)', 'Occasion (optional)', 'Evidence type', 'Real job', 'Realistic working environment', 'Simulation', 'Add files']));
    for (const [, id] of html.matchAll(/<label for="([^"]+)"/g)) expect(html).toContain(`id="${id}"`);
    expect(textOf(html)).toContain('A role play or exercise; some units do not accept it as performance evidence.');
    expect(html).toContain('<legend>Work setting</legend>');
  });

  it('shows the upload limits before a file is picked and keeps the save status in a live region', () => {
    const html = render(null);
    expect(textOf(html)).toContain('Up to 20 files per item, each at most 100 MB');
    // The learner's quota in the course, beside the file input that it describes.
    expect(textOf(html)).toContain('0 bytes of 500 MB used · 0 of 200 items');
    const usageId = /<p class="hint" id="([^"]+-usage)">/.exec(html)?.[1];
    // Open before the item is saved: its first file saves it (issue 12), under the form's kind's rules.
    expect(html).toMatch(new RegExp(`<input id="[^"]+" type="file" multiple="" accept="[^"]*\\.pdf[^"]*" aria-describedby="[^"]*${usageId}`));
    expect(textOf(html)).toContain('Adding a file saves this evidence');
    expect(html).toMatch(/<p class="save-status" role="status" aria-live="polite">Not saved: Give the evidence a title.<\/p>/);
  });

  it('opens a new item without a field error the learner has had no chance to act on', () => {
    const html = render(null);
    expect(html).not.toContain('class="field-error"');
    expect(html).toMatch(/<input id="[^"]+" type="text" maxLength="200" aria-invalid="false"/);
  });

  it('locks a submitted item and warns that editing reopens it', () => {
    const html = render(makeItem({ title: 'Call log', state: 'submitted', submittedAt: '2026-05-02T10:00:00Z' }));
    expect(html).toMatch(/<fieldset class="form-section" disabled="">/);
    expect(textOf(html)).toContain('Changing it takes it back out of assessment: you will need to submit it again. Earlier versions are kept.');
    expect(html).toContain('Edit and reopen this evidence');
  });

  it('lists files with a download button named after each file', () => {
    const html = render(makeItem({ files: [{ id: 'f1', name: 'rota.pdf', mediaType: 'application/pdf', size: 2048, sha256: 'x', uploadedAt: '2026-05-02T10:00:00Z' }] }));
    expect(textOf(html)).toContain('rota.pdf (2 KB) Download rota.pdf');
  });

  it('shows what the unit still lacks beside the mappings of a saved item, so ticking shows the list shrink', () => {
    const item = makeItem();
    const missing = [{ key: 'statement|209.1.1', label: 'PC 209.1.1', text: 'operate the telephone equipment', status: 'not-met' as const, reasons: ['No evidence has been mapped to this yet.'], codes: ['no_evidence' as const] }];
    const html = renderToStaticMarkup(withQueryClient(<EvidenceEditor api={api} unit={unit} portfolio={makePortfolio(unit, [item])} item={item} label="E1" today="2026-05-20" missing={missing} onSaved={ignore} onPreview={ignore} onClose={ignore} />));
    expect(textOf(html)).toContain('Still missing in Deal with customers by telephone 1 requirement is still missing. No evidence mapped yet to PC 209.1.1 “operate the telephone equipment”.');
  });

  it('shows the item’s feedback and action plan', () => {
    const html = render(makeItem({ feedback: [{ id: 'f', authorName: null, text: 'Add the date of the call.', createdAt: '2026-05-03T10:00:00Z', actionPlan: null }] }));
    expect(textOf(html)).toContain('Assessor feedback Your assessor, 3 May 2026 Add the date of the call.');
  });
});

describe('SubmitPanel', () => {
  it('asks for the authenticity declaration, worded as in the recording documents', () => {
    const html = renderToStaticMarkup(<SubmitPanel isSubmitted={false} canSubmit onSubmit={() => Promise.resolve(null)} />);
    expect(html).toMatch(new RegExp(`<input id="([^"]+)-declare" type="checkbox"[^>]*/><label for="\\1-declare">${AUTHENTICITY_DECLARATION}</label>`));
    expect(html).toContain('>Submit for assessment</button>');
    expect(html).toMatch(/role="alert"/);
  });
});

describe('ConflictPanel', () => {
  it('shows the saved copy beside the learner’s text and offers both choices', () => {
    const html = renderToStaticMarkup(<ConflictPanel current={makeItem({ title: 'Their title', description: 'Their words', version: 6 })} onKeepMine={ignore} onTakeTheirs={ignore} />);
    const text = textOf(html);
    expect(html).toMatch(/^<div class="state state-error" role="alert">/);
    expect(text).toContain('Attest has kept both versions');
    expect(text).toContain('The saved copy (version 6) Title Their title Description Their words');
    expect(text).toContain('Keep my version Use the saved copy');
  });
});

describe('UnitTargets', () => {
  it('offers a checkbox per requirement, grouped under legends, named by ref and text, ticked where mapped', () => {
    const unit = makeUnit();
    const html = renderToStaticMarkup(<UnitTargets unit={unit} targets={[{ unitId: unit.id, target: 'scope-item', ref: '2.b' }]} isDisabled={false} onToggle={ignore} />);
    expect([...html.matchAll(/<legend>([^<]+)<\/legend>/g)].map((m) => m[1])).toEqual(['Unit 209: Deal with customers by telephone', 'Element 209.1: Answer calls', 'Knowledge 209.2', 'Scope 2 Customers', 'Evidence requirements']);
    expect(textOf(html)).toContain('2.b external customers');
    expect(html.match(/checked=""/g)).toHaveLength(1);
    expect(html.match(/type="checkbox"/g)).toHaveLength(8);
  });

  it('shows the save status beside the box ticked last, in that box’s row only, hidden from screen readers', () => {
    const unit = makeUnit();
    const target = { unitId: unit.id, target: 'scope-item' as const, ref: '2.b' };
    const html = renderToStaticMarkup(<UnitTargets unit={unit} targets={[target]} isDisabled={false} onToggle={ignore} lastToggled={{ target, status: 'Mappings saved' }} />);
    const rows = [...html.matchAll(/<li class="option">(.*?)<\/li>/g)].map((m) => m[1] ?? '');
    expect(rows.filter((row) => row.includes('Mappings saved'))).toHaveLength(1);
    const row = rows.find((r) => r.includes('Mappings saved')) ?? '';
    expect(textOf(row)).toContain('2.b external customers');
    expect(row).toContain('<span class="saved-beside" aria-hidden="true">Mappings saved</span>');
    // Nothing beside any box before a save has a status.
    expect(renderToStaticMarkup(<UnitTargets unit={unit} targets={[target]} isDisabled={false} onToggle={ignore} lastToggled={{ target, status: '' }} />)).not.toContain('saved-beside');
  });
});

describe('HistoryList', () => {
  it('lists every kept version with what happened to it, conflict copies included', () => {
    const draft = { title: 'Call log', description: 'Mine', evidenceType: 'work-product' as const, activityDate: '2026-05-01', customerRef: null, occasionRef: null, workSetting: 'real-job' as const };
    const html = renderToStaticMarkup(
      <HistoryList
        revisions={[
          { version: 3, kind: 'reopened', savedAt: '2026-05-03T10:00:00Z', draft },
          { version: 2, kind: 'conflict-copy', savedAt: '2026-05-02T10:00:00Z', draft: { ...draft, description: 'Theirs' } },
        ]}
      />,
    );
    const text = textOf(html);
    expect(text).toContain('Version 3: Reopened for editing');
    expect(text).toContain('Version 2: Kept from a conflicting save');
    expect(text).toContain('Call log — Theirs');
    expect(html).toMatch(/^<ol class="history-list">/);
  });
});
