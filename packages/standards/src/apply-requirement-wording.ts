import type { RequirementWording, Unit } from './unit-schema.ts';

/**
 * The unit with the wording a centre supplied (requirement-wording.yaml) for the evidence
 * requirements its source prints only as a column number; each worded requirement names where its
 * wording comes from. The check has already refused wording for a requirement the source words.
 * The unit given is not changed.
 */
export function applyRequirementWording(unit: Unit, wordings: readonly RequirementWording[]): Unit {
  const supplied = new Map<string, { text: string; source: string }>();
  for (const wording of wordings) {
    if (wording.qualification !== unit.qualification) continue;
    const source = `${wording.source.document}, supplied by ${wording.source.suppliedBy}`;
    for (const entry of wording.units) if (entry.unit === unit.id) for (const requirement of entry.requirements) supplied.set(requirement.ref, { text: requirement.text, source });
  }
  if (supplied.size === 0) return unit;
  return {
    ...unit,
    evidenceRequirements: unit.evidenceRequirements.map((requirement) => {
      const wording = requirement.text === null ? supplied.get(requirement.ref) : undefined;
      return wording === undefined ? requirement : { ...requirement, text: wording.text, wordingSource: wording.source };
    }),
  };
}

/**
 * A requirement the unit's source prints only as a column number, with no worded items under it,
 * and that no centre has worded. (A heading with lettered, worded items is not wordless: its items
 * say what it asks.)
 */
export function isWordless(requirement: { readonly text: string | null; readonly items?: readonly unknown[] | undefined } | { readonly text: string | null; readonly childKeys: readonly string[] }): boolean {
  // A unit's data lists a requirement's items; the unit index (IndexedRequirement) their keys.
  const items = 'childKeys' in requirement ? requirement.childKeys : (requirement.items ?? []);
  return requirement.text === null && items.length === 0;
}
