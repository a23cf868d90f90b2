import type { Statement, Unit } from './unit-schema.ts';

// A data file keeps the source as printed and records each printing error as an erratum (the
// checker insists the data at `at` reads the erratum's source). Learners and assessors should
// read the corrected reference and wording: a unit-202 learner told to evidence "203.3.5" looks
// for it in the wrong unit. So the loaded unit carries the correction, and the printed form beside
// it (printedRef, printedText, printedTitle) for anyone holding the paper form.

const STATEMENT_FIELD = /^groups\[(\d+)\]\.statements\[(\d+)\]\.(ref|text)$/;

/**
 * The unit as learners and assessors should read it: each erratum on a statement's ref or text,
 * or on the unit's title, applied, with the printed form kept. Errata that describe the source in
 * words (a missing sign-off block) change nothing. The unit given is not changed.
 */
export function applyErrata(unit: Unit): Unit {
  const errata = unit.errata ?? [];
  if (errata.length === 0) return unit;
  let title = unit.title;
  let printedTitle = unit.printedTitle;
  const corrections = new Map<string, { ref?: string; text?: string }>();
  for (const erratum of errata) {
    if (erratum.at === 'title' && unit.title === erratum.source) {
      title = erratum.correction;
      printedTitle = erratum.source;
      continue;
    }
    const match = STATEMENT_FIELD.exec(erratum.at);
    if (!match) continue;
    const [, group, statement, field] = match;
    const printed = unit.groups[Number(group)]?.statements[Number(statement)]?.[field as 'ref' | 'text'];
    if (printed !== erratum.source) continue;
    const key = `${group}/${statement}`;
    corrections.set(key, { ...corrections.get(key), [field as 'ref' | 'text']: erratum.correction });
  }
  const groups = unit.groups.map((group, g) => ({
    ...group,
    statements: group.statements.map((statement, s) => corrected(statement, corrections.get(`${g}/${s}`))),
  }));
  return { ...unit, title, ...(printedTitle === undefined ? {} : { printedTitle }), groups };
}

function corrected(statement: Statement, correction: { ref?: string; text?: string } | undefined): Statement {
  if (correction === undefined) return statement;
  return {
    ...statement,
    ...(correction.ref === undefined ? {} : { ref: correction.ref, printedRef: statement.ref }),
    ...(correction.text === undefined ? {} : { text: correction.text, printedText: statement.text }),
  };
}
