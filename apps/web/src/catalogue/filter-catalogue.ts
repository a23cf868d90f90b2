import type { CatalogueEntry } from '@attest/contracts';

function normalise(text: string): string {
  // Accents and case should not hide a unit: "sante" finds "Santé", "ELEC" finds "Electrical".
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function searchableText(entry: CatalogueEntry): string {
  const level = entry.level === null ? '' : `level ${entry.level}`;
  return normalise([...entry.codes, entry.title, entry.awardingBody ?? '', level].join(' '));
}

/**
 * Keeps the entries that contain every word of the query somewhere in their codes, title,
 * awarding body or "level N", in catalogue order; an empty query keeps everything.
 */
export function filterCatalogue(entries: readonly CatalogueEntry[], query: string): CatalogueEntry[] {
  const words = normalise(query).split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return [...entries];
  return entries.filter((entry) => {
    const text = searchableText(entry);
    return words.every((word) => text.includes(word));
  });
}
