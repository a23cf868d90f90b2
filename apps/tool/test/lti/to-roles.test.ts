import { describe, expect, it } from 'vitest';
import { isPlatformAdministrator, isTeachingAssistant, toRoles } from '../../src/lti/to-roles.ts';

const m = 'http://purl.imsglobal.org/vocab/lis/v2/membership';

describe('toRoles', () => {
  it('makes a learner of the context Learner role', () => {
    expect(toRoles([`${m}#Learner`])).toEqual(['learner']);
  });

  it('makes an instructor of the context Instructor role', () => {
    expect(toRoles([`${m}#Instructor`])).toEqual(['instructor']);
  });

  it('treats a Canvas TA (Instructor plus the TeachingAssistant sub-role) as an instructor who is a TA', () => {
    const uris = [`${m}#Instructor`, `${m}/Instructor#TeachingAssistant`];
    expect(toRoles(uris)).toEqual(['instructor']);
    expect(isTeachingAssistant(uris)).toBe(true);
    expect(isTeachingAssistant([`${m}#Instructor`])).toBe(false);
  });

  it('accepts the bare context role names older platforms send', () => {
    expect(toRoles(['Learner'])).toEqual(['learner']);
    expect(toRoles(['Instructor'])).toEqual(['instructor']);
  });

  it('ignores institution Instructor, which Canvas sends for teachers of other courses', () => {
    expect(toRoles(['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor'])).toEqual([]);
  });

  it('recognises administrators at system, institution and context level (Moodle sends institution Administrator)', () => {
    expect(toRoles(['http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator'])).toEqual(['administrator']);
    expect(toRoles(['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator', `${m}#Instructor`])).toEqual(['instructor', 'administrator']);
    expect(toRoles([`${m}#Administrator`])).toEqual(['administrator']);
  });

  it('gives no role for unknown or empty role lists', () => {
    expect(toRoles([])).toEqual([]);
    expect(toRoles([`${m}#Mentor`, 'urn:lti:role:ims/lis/Learner'])).toEqual([]);
  });

  it('lists roles once, in a stable order, whatever order the claim has', () => {
    expect(toRoles([`${m}#Instructor`, `${m}#Learner`, `${m}#Learner`])).toEqual(['learner', 'instructor']);
  });
});

describe('isPlatformAdministrator', () => {
  const person = 'http://purl.imsglobal.org/vocab/lis/v2';
  it('recognises an administrator of the whole LMS: Moodle’s site admin (system and institution) and Canvas’s account admin (institution)', () => {
    expect(isPlatformAdministrator([`${m}#Instructor`, `${person}/system/person#Administrator`, `${person}/institution/person#Administrator`])).toBe(true);
    expect(isPlatformAdministrator([`${person}/institution/person#Administrator`, `${person}/system/person#User`])).toBe(true);
    expect(isPlatformAdministrator([`${person}/system/person#SysAdmin`])).toBe(true);
  });
  it('does not count a course’s Administrator, an instructor or a learner', () => {
    expect(isPlatformAdministrator([`${m}#Administrator`])).toBe(false);
    expect(isPlatformAdministrator(['Administrator'])).toBe(false);
    expect(isPlatformAdministrator([`${m}#Instructor`, `${person}/institution/person#Instructor`])).toBe(false);
    expect(isPlatformAdministrator([])).toBe(false);
  });
});
