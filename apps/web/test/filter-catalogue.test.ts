import { describe, expect, it } from 'vitest';
import type { CatalogueEntry } from '@attest/contracts';
import { filterCatalogue } from '../src/catalogue/filter-catalogue.ts';

function entry(overrides: Partial<CatalogueEntry> & { id: string }): CatalogueEntry {
  return { codes: [], title: `Unit ${overrides.id}`, level: 2, awardingBody: 'City & Guilds', statementCount: 10, ...overrides };
}

const catalogue = [
  entry({ id: 'a', codes: ['ELEC301', 'K/601/1234'], title: 'Installing wiring systems', level: 3 }),
  entry({ id: 'b', codes: ['HSC2028'], title: 'Move and position individuals', level: 2, awardingBody: 'Pearson' }),
  entry({ id: 'c', codes: ['CU1'], title: 'Santé et sécurité au travail', level: 2, awardingBody: null }),
];

const ids = (entries: CatalogueEntry[]) => entries.map((e) => e.id);

describe('filterCatalogue', () => {
  it('keeps every entry, in order, for an empty or blank query', () => {
    expect(ids(filterCatalogue(catalogue, ''))).toEqual(['a', 'b', 'c']);
    expect(ids(filterCatalogue(catalogue, '   '))).toEqual(['a', 'b', 'c']);
  });

  it('matches part of a code regardless of case', () => {
    expect(ids(filterCatalogue(catalogue, 'elec3'))).toEqual(['a']);
    expect(ids(filterCatalogue(catalogue, 'k/601'))).toEqual(['a']);
  });

  it('requires every word to match somewhere', () => {
    expect(ids(filterCatalogue(catalogue, 'wiring pearson'))).toEqual([]);
    expect(ids(filterCatalogue(catalogue, 'position pearson'))).toEqual(['b']);
  });

  it('matches the level written as "level N"', () => {
    expect(ids(filterCatalogue(catalogue, 'level 3'))).toEqual(['a']);
  });

  it('ignores accents in the title and the query', () => {
    expect(ids(filterCatalogue(catalogue, 'sante securite'))).toEqual(['c']);
    expect(ids(filterCatalogue(catalogue, 'SÉCURITÉ'))).toEqual(['c']);
  });

  it('does not fail on an entry without an awarding body or level', () => {
    expect(ids(filterCatalogue([entry({ id: 'd', level: null, awardingBody: null })], 'unit d'))).toEqual(['d']);
  });
});
