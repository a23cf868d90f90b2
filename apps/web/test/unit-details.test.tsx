import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { UnitSchema, type Unit } from '@attest/standards';
import { UnitDetails } from '../src/screens/learner-unit-screen.tsx';

/** A valid unit (parsed by the real schema) with the parts a test cares about overridden. */
function unit(overrides: Partial<Unit> = {}): Unit {
  return UnitSchema.parse({
    id: 'nvq2-cs-209',
    qualification: 'nvq2-customer-service',
    awardingBody: null,
    codes: ['209'],
    title: 'Deal with customers by telephone',
    level: null,
    creditValue: null,
    guidedLearningHours: null,
    purpose: null,
    version: null,
    format: 'recording-form',
    source: { document: 'seed.txt', section: 'Appendix 1' },
    groups: [
      { ref: '209.1', title: null, kind: 'element', statements: [{ ref: '209.1.1', kind: 'standard', text: 'operate the telephone equipment' }, { ref: '209.1.2', kind: 'standard', text: 'keep your customer informed' }] },
      { ref: '209.2', title: null, kind: 'element', statements: [{ ref: '209.2.1', kind: 'standard', text: 'anticipate expectations' }] },
    ],
    scope: [],
    evidenceRequirements: [],
    assessmentRules: [],
    signOff: [{ role: 'assessor' }],
    ...overrides,
  });
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();

describe('UnitDetails', () => {
  it('shows the codes and title as the page heading', () => {
    const html = renderToStaticMarkup(<UnitDetails unit={unit()} />);
    expect(html).toMatch(/<h1>Deal with customers by telephone<\/h1>/);
    expect(text(html)).toContain('Unit 209');
  });

  it('lists the statements under a heading per element, with refs as printed and in order', () => {
    const html = renderToStaticMarkup(<UnitDetails unit={unit()} />);
    expect([...html.matchAll(/<h3[^>]*>([^<]+)<\/h3>/g)].map((m) => m[1])).toEqual(['Element 209.1', 'Element 209.2']);
    const body = text(html);
    expect(body.indexOf('209.1.1 operate the telephone equipment')).toBeGreaterThan(-1);
    expect(body.indexOf('209.1.2 keep your customer informed')).toBeGreaterThan(body.indexOf('209.1.1'));
    expect(body.indexOf('209.2.1 anticipate expectations')).toBeGreaterThan(body.indexOf('209.1.2'));
  });

  it('shows a ref and a title corrected by the unit’s errata, with the printed form beside them', () => {
    const corrected = unit({
      title: 'Deal with customers by telephone',
      printedTitle: 'Deal with customer by telephone',
      groups: [{ ref: '209.1', title: null, kind: 'element', statements: [{ ref: '209.1.1', printedRef: '210.1.1', kind: 'standard', text: 'operate the telephone equipment' }] }],
    });
    const body = text(renderToStaticMarkup(<UnitDetails unit={corrected} />));
    expect(body).toContain('209.1.1 operate the telephone equipment Corrected: the awarding body’s form prints the number 210.1.1.');
    expect(body).toContain('Corrected: the awarding body’s form prints the title “Deal with customer by telephone”.');
    expect(text(renderToStaticMarkup(<UnitDetails unit={unit()} />))).not.toContain('Corrected');
  });

  // UnitDetails is what a learner sees when their portfolio could not be loaded: it must not claim
  // they have no evidence, nor offer controls that would act on a portfolio the page does not have.
  it('shows the unit read-only, claiming nothing about evidence it could not load', () => {
    const html = renderToStaticMarkup(<UnitDetails unit={unit()} />);
    expect(text(html)).not.toContain('No evidence yet.');
    expect(html).not.toMatch(/<button|<input|<form/);
  });

  it('puts the reason the evidence is missing under the title, so the page still opens with its h1', () => {
    const html = renderToStaticMarkup(<UnitDetails unit={unit()}><p role="alert">Your evidence could not be loaded</p></UnitDetails>);
    expect(html.indexOf('<h1>')).toBeLessThan(html.indexOf('role="alert"'));
    expect(html.indexOf('role="alert"')).toBeLessThan(html.indexOf('What you need to show'));
  });

  it('shows level, awarding body and purpose only when the unit has them', () => {
    const bare = text(renderToStaticMarkup(<UnitDetails unit={unit()} />));
    expect(bare).not.toContain('Level');
    expect(bare).not.toContain('Awarding body');
    const full = text(renderToStaticMarkup(<UnitDetails unit={unit({ level: 2, awardingBody: 'City & Guilds', purpose: 'This unit is about telephone calls.' })} />));
    expect(full).toContain('Level 2');
    expect(full).toContain('Awarding body City & Guilds');
    expect(full).toContain('This unit is about telephone calls.');
  });

  it('shows scope groups and evidence requirements with their items', () => {
    const html = renderToStaticMarkup(
      <UnitDetails
        unit={unit({
          scope: [{ ref: '1', title: 'Customers', items: [{ ref: 'a', text: 'internal customers' }, { ref: 'b', text: 'external customers' }] }],
          evidenceRequirements: [
            { ref: '1', text: 'You must provide evidence from real work.' },
            { ref: '4', text: null, items: [{ ref: 'a', text: 'a complaint' }] },
          ],
        })}
      />,
    );
    const body = text(html);
    expect(body).toContain('Scope 1 Customers a internal customers b external customers');
    expect(body).toContain('Evidence requirements 1 You must provide evidence from real work.');
    expect(body).toContain('4 a a complaint');
    expect(body).not.toContain('not tracked here');
  });

  it('names the recording form’s wordless columns in one sentence and never lists them as something to meet', () => {
    const body = text(
      renderToStaticMarkup(
        <UnitDetails
          unit={unit({
            evidenceRequirements: [
              { ref: '1', text: null },
              { ref: '2', text: 'You must deal with at least three customers.' },
              { ref: '4.a', text: null },
            ],
          })}
        />,
      ),
    );
    expect(body).toContain('Evidence requirements 2 You must deal with at least three customers.');
    expect(body).toContain('The unit’s recording form also has columns 1, 4.a for evidence requirements. Their wording is in the awarding body’s evidence requirements, which your centre has not added to Attest yet, so they are not tracked here');
    expect(body).not.toMatch(/Not met|no wording is given/);
  });

  it('shows wording a centre supplied like the source’s own, saying where it comes from', () => {
    const supplied = unit({ evidenceRequirements: [{ ref: '1', text: 'Evidence from your real job.', wordingSource: 'Evidence requirements (centre copy), supplied by Northfield College' }] });
    const body = text(renderToStaticMarkup(<UnitDetails unit={supplied} />));
    expect(body).toContain('1 Evidence from your real job. Wording from Evidence requirements (centre copy), supplied by Northfield College.');
    expect(body).not.toContain('not tracked here');
  });

  it('leaves out the scope and evidence requirement sections when the unit has none', () => {
    const html = renderToStaticMarkup(<UnitDetails unit={unit()} />);
    expect(html).not.toContain('Scope');
    expect(html).not.toContain('Evidence requirements');
  });
});
