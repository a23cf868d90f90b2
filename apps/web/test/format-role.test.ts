import { describe, expect, it } from 'vitest';
import { formatRole, formatRoles } from '../src/caseload/format-role.ts';

describe('formatRole', () => {
  it('names a context role given as a full LIS URI', () => {
    expect(formatRole('http://purl.imsglobal.org/vocab/lis/v2/membership#Learner')).toBe('Learner');
    expect(formatRole('http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor')).toBe('Instructor');
  });

  it('names a sub-role by its own name', () => {
    expect(formatRole('http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant')).toBe('Teaching assistant');
  });

  it('accepts the short names some platforms send', () => {
    expect(formatRole('Learner')).toBe('Learner');
    expect(formatRole('Student')).toBe('Learner');
  });

  it('spaces out an unknown camel-case role instead of hiding it', () => {
    expect(formatRole('http://purl.imsglobal.org/vocab/lis/v2/membership#ExternalExaminer')).toBe('External Examiner');
  });
});

describe('formatRoles', () => {
  it('lists each readable role once', () => {
    expect(formatRoles(['Learner', 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner', 'Instructor'])).toBe('Learner, Instructor');
  });
});
