import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { CatalogueEntry } from '@attest/contracts';
import type { ApiClient } from '../src/api/api-client.ts';
import { UnitPicker } from '../src/screens/deep-linking-screen.tsx';

// Rendering makes no calls; a client that refuses everything proves it.
const noCall = () => Promise.reject(new Error('no call expected'));
const api: ApiClient = { call: noCall, getBlob: noCall, urlOf: () => '', token: 't', baseUrl: '' };

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
