/** What the display needs of a unit's statement groups; the unit model has these fields and more. */
export interface GroupedStatementsInput {
  groups: ReadonlyArray<{
    ref: string | null;
    title: string | null;
    kind: string;
    statements: ReadonlyArray<PrintedStatement & { kind: string }>;
  }>;
}

/** A statement as the loader gives it: corrected by the unit's errata, the printed form beside it. */
export interface PrintedStatement {
  ref: string | null;
  text: string;
  printedRef?: string | undefined;
  printedText?: string | undefined;
}

/**
 * Where an erratum corrected a statement, what the awarding body's paper form prints instead, so
 * a learner or assessor holding the form can match it: null when the form prints it as shown.
 */
export function describePrinted(statement: PrintedStatement): string | null {
  const parts: string[] = [];
  if (statement.printedRef !== undefined) parts.push(`the number ${statement.printedRef}`);
  if (statement.printedText !== undefined) parts.push(`the wording “${statement.printedText}”`);
  return parts.length === 0 ? null : `Corrected: the awarding body’s form prints ${parts.join(' and ')}.`;
}

export interface DisplayStatement {
  /** The ref as the awarding body prints it, e.g. "209.1.3" or "2.1", or as an erratum corrects it; null when unnumbered. */
  ref: string | null;
  text: string;
  /** What the paper form prints where an erratum corrected it (describePrinted); null otherwise. */
  printed: string | null;
}

export interface DisplaySection {
  kind: string;
  /** Shown only when a group mixes kinds (say, performance criteria and knowledge). */
  label: string;
  statements: DisplayStatement[];
}

export interface DisplayGroup {
  key: string;
  heading: string;
  sections: DisplaySection[];
}

// A `heading` group is a plain heading of the source, so it has no kind word of its own.
const groupKindLabels: Record<string, string> = {
  element: 'Element',
  'learning-outcome': 'Learning outcome',
  knowledge: 'Knowledge',
  heading: '',
};

const statementKindLabels: Record<string, string> = {
  standard: 'Standards',
  'performance-criterion': 'Performance criteria',
  'assessment-criterion': 'Assessment criteria',
  knowledge: 'Knowledge and understanding',
};

function humanise(kind: string): string {
  const words = kind.replace(/[-_]+/g, ' ').trim();
  return words === '' ? 'Statements' : words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * "Element 209.1: Title", "Learning outcome 2", "3 Title" for a plain heading, or just the title
 * when the group has no ref.
 */
export function groupHeading(group: GroupedStatementsInput['groups'][number], position: number): string {
  const kindLabel = groupKindLabels[group.kind] ?? humanise(group.kind);
  const title = group.title?.trim() ?? '';
  const ref = group.ref?.trim() ?? '';
  if (ref === '') return title !== '' ? title : `${kindLabel || 'Section'} ${position}`;
  const label = kindLabel === '' ? ref : `${kindLabel} ${ref}`;
  if (title === '') return label;
  return kindLabel === '' ? `${label} ${title}` : `${label}: ${title}`;
}

/**
 * The unit's statements in source order, one display group per element or outcome, split into
 * sections by statement kind in the order each kind first appears. Refs are kept as printed:
 * learners and assessors quote them on paper forms, so they must match character for character;
 * where the form has a printing error the unit's errata correct, the correction is shown and the
 * printed form named beside it.
 */
export function groupStatements(unit: GroupedStatementsInput): DisplayGroup[] {
  return unit.groups.map((group, index) => {
    const sections: DisplaySection[] = [];
    for (const statement of group.statements) {
      let section = sections.find((s) => s.kind === statement.kind);
      if (!section) {
        section = { kind: statement.kind, label: statementKindLabels[statement.kind] ?? humanise(statement.kind), statements: [] };
        sections.push(section);
      }
      section.statements.push({ ref: statement.ref, text: statement.text, printed: describePrinted(statement) });
    }
    return { key: `${index}-${group.ref ?? ''}`, heading: groupHeading(group, index + 1), sections };
  });
}
