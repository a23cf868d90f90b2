import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { CatalogueEntry } from '@attest/contracts';
import type { ApiClient } from '../src/api/api-client.ts';
import { ScoreForm } from '../src/scores/score-form.tsx';
import { UnitPicker } from '../src/screens/deep-linking-screen.tsx';

// Rendering makes no calls; a client that refuses everything proves it.
const noCall = () => Promise.reject(new Error('no call expected'));
const api: ApiClient = { get: noCall, post: noCall, put: noCall, getBlob: noCall, token: 't', baseUrl: '' };

/** Every input, select and textarea (except hidden inputs) with the text of its <label for>. */
function controlLabels(html: string): Array<{ id: string | null; label: string | null }> {
  const labels = new Map([...html.matchAll(/<label for="([^"]+)">(.*?)<\/label>/g)].map((m) => [m[1], m[2]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()]));
  return [...html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)]
    .filter((m) => !/type="hidden"/.test(m[2]!))
    .map((m) => {
      const id = /\bid="([^"]+)"/.exec(m[2]!)?.[1] ?? null;
      return { id, label: id === null ? null : (labels.get(id) ?? null) };
    });
}

describe('ScoreForm', () => {
  it('is a form named after the learner whose every control has a visible label', () => {
    const html = renderToStaticMarkup(<ScoreForm api={api} learnerUserId="u-1" learnerName="Lee Learner" />);
    expect(html).toMatch(/<form[^>]*aria-label="Score for Lee Learner"/);
    expect(controlLabels(html).map((c) => c.label)).toEqual(['Score (0–100)', 'Activity progress', 'Grading progress', 'Comment (optional)']);
  });

  it('warns, in the grading progress description, that Moodle clears the grade of anything not fully graded', () => {
    const html = renderToStaticMarkup(<ScoreForm api={api} learnerUserId="u-1" learnerName="Lee Learner" />);
    const describedBy = /<select[^>]*name="gradingProgress"[^>]*aria-describedby="([^"]+)"/.exec(html)?.[1];
    expect(describedBy).toBeDefined();
    const hint = new RegExp(`<p[^>]*id="${describedBy}"[^>]*>([^<]+)</p>`).exec(html)?.[1];
    expect(hint).toMatch(/any other choice clears the grade/);
  });

  it('keeps a status region in place before anything is sent, so later updates are announced', () => {
    const html = renderToStaticMarkup(<ScoreForm api={api} learnerUserId="u-1" learnerName="Lee Learner" />);
    expect(html).toMatch(/role="status"/);
  });

  it('gives two learners’ forms distinct control ids', () => {
    const html = renderToStaticMarkup(
      <>
        <ScoreForm api={api} learnerUserId="u-1" learnerName="Lee Learner" />
        <ScoreForm api={api} learnerUserId="u-2" learnerName="Priya Patel" />
      </>,
    );
    const ids = controlLabels(html).map((c) => c.id);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
  });
});

describe('UnitPicker', () => {
  const entries: CatalogueEntry[] = [
    { id: 'nvq2-cs-201', codes: ['201'], title: 'Give customers a positive impression', level: 2, awardingBody: 'City & Guilds', statementCount: 13 },
    { id: 'nvq2-cs-209', codes: ['209'], title: 'Deal with customers by telephone', level: null, awardingBody: null, statementCount: 1 },
  ];

  it('labels the filter and names each checkbox by the unit’s codes and title', () => {
    const html = renderToStaticMarkup(<UnitPicker api={api} entries={entries} />);
    expect(controlLabels(html).map((c) => c.label)).toEqual(['Filter units', '201 Give customers a positive impression', '209 Deal with customers by telephone']);
  });

  it('describes each unit with its level, awarding body and statement count where known', () => {
    const html = renderToStaticMarkup(<UnitPicker api={api} entries={entries} />);
    expect(html).toContain('Level 2 · City &amp; Guilds · 13 statements');
    expect(html).toContain('>1 statement<');
  });

  it('offers the add button and reports the selection in a status region', () => {
    const html = renderToStaticMarkup(<UnitPicker api={api} entries={entries} />);
    expect(html).toMatch(/<button type="submit"[^>]*>Add selected units<\/button>/);
    expect(html).toMatch(/role="status">0 units selected\. Showing 2 of 2\.</);
  });
});
