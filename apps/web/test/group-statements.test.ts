import { describe, expect, it } from 'vitest';
import { describeWordlessRequirements } from '../src/unit/describe-wordless-requirements.ts';
import { groupStatements, type GroupedStatementsInput } from '../src/unit/group-statements.ts';

type Group = GroupedStatementsInput['groups'][number];

const group = (overrides: Partial<Group> = {}): Group => ({ ref: '209.1', title: null, kind: 'element', statements: [], ...overrides });
const statement = (ref: string | null, text: string, kind = 'standard') => ({ ref, text, kind });

describe('groupStatements', () => {
  it('keeps groups and statements in source order with refs exactly as printed', () => {
    const result = groupStatements({
      groups: [
        group({ ref: '209.1', statements: [statement('209.1.1', 'operate the telephone'), statement('209.1.2', 'keep your customer informed')] }),
        group({ ref: '209.2', statements: [statement('209.2.01', 'anticipate expectations')] }),
      ],
    });
    expect(result.map((g) => g.heading)).toEqual(['Element 209.1', 'Element 209.2']);
    expect(result[0]?.sections[0]?.statements).toEqual([
      { ref: '209.1.1', text: 'operate the telephone', printed: null },
      { ref: '209.1.2', text: 'keep your customer informed', printed: null },
    ]);
    expect(result[1]?.sections[0]?.statements[0]?.ref).toBe('209.2.01');
  });

  it('shows a statement an erratum corrected as corrected, naming what the paper form prints', () => {
    const [result] = groupStatements({ groups: [group({ ref: '202.3', statements: [{ ref: '202.3.5', printedRef: '203.3.5', text: 'refer your customer to others', kind: 'standard' }, { ref: '202.3.6', text: 'resolve the problem', printedText: 'resolve problem', kind: 'standard' }] })] });
    expect(result?.sections[0]?.statements).toEqual([
      { ref: '202.3.5', text: 'refer your customer to others', printed: 'Corrected: the awarding body’s form prints the number 203.3.5.' },
      { ref: '202.3.6', text: 'resolve the problem', printed: 'Corrected: the awarding body’s form prints the wording “resolve problem”.' },
    ]);
  });

  it('adds the title to the heading when the source prints one', () => {
    const [result] = groupStatements({ groups: [group({ ref: '1', title: 'Prepare to deal with customers', kind: 'learning-outcome' })] });
    expect(result?.heading).toBe('Learning outcome 1: Prepare to deal with customers');
  });

  it('splits a group into sections by statement kind, in order of first appearance', () => {
    const [result] = groupStatements({
      groups: [group({ statements: [statement('P1', 'do a'), statement('K1', 'know b', 'knowledge'), statement('P2', 'do c', 'assessment-criterion'), statement('K2', 'know d', 'knowledge')] })],
    });
    expect(result?.sections.map((s) => [s.label, s.statements.map((x) => x.ref)])).toEqual([
      ['Standards', ['P1']],
      ['Knowledge and understanding', ['K1', 'K2']],
      ['Assessment criteria', ['P2']],
    ]);
  });

  it('names a group without a ref by its title, or by its position when it has neither', () => {
    const result = groupStatements({ groups: [group({ ref: null, title: 'Range' }), group({ ref: null, title: null, kind: 'element' })] });
    expect(result.map((g) => g.heading)).toEqual(['Range', 'Element 2']);
  });

  it('shows a plain heading group as its ref and title without a kind word', () => {
    const result = groupStatements({ groups: [group({ kind: 'heading', ref: '3', title: 'Health and safety' }), group({ kind: 'heading', ref: null, title: null })] });
    expect(result.map((g) => g.heading)).toEqual(['3 Health and safety', 'Section 2']);
  });

  it('labels an unknown kind readably instead of dropping its statements', () => {
    const [result] = groupStatements({ groups: [group({ kind: 'competence_area', statements: [statement('X1', 'x', 'underpinning-skill')] })] });
    expect(result?.heading).toBe('Competence area 209.1');
    expect(result?.sections[0]).toMatchObject({ label: 'Underpinning skill', statements: [{ ref: 'X1', text: 'x' }] });
  });

  it('gives every group a distinct key even when refs repeat', () => {
    const result = groupStatements({ groups: [group({ ref: '1' }), group({ ref: '1' })] });
    expect(new Set(result.map((g) => g.key)).size).toBe(2);
  });
});

describe('describeWordlessRequirements', () => {
  it('names the columns once, for the learner or the assessor, and says nothing when there are none', () => {
    expect(describeWordlessRequirements(['1', '4.a'])).toBe('The unit’s recording form also has columns 1, 4.a for evidence requirements. Their wording is in the awarding body’s evidence requirements, which your centre has not added to Attest yet, so they are not tracked here: your assessor will tell you if your evidence must show any of them.');
    expect(describeWordlessRequirements(['6'], true)).toBe('The unit’s recording form also has column 6 for evidence requirements. Its wording is in the awarding body’s evidence requirements, which the centre has not added to Attest yet, so it is not tracked here: tell the learner if their evidence must show any of them.');
    expect(describeWordlessRequirements([])).toBeNull();
  });
});
