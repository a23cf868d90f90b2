import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiRoutes, ERROR_CODES, FILE_DOWNLOAD, FILE_UPLOAD, NO_BODY, paramNamesOf, pathOf } from '../src/index.ts';

const routes = Object.entries(apiRoutes);

describe('the route table', () => {
  it('names each method and path once, all under /api', () => {
    const keys = routes.map(([, route]) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const [name, route] of routes) expect(route.path, name).toMatch(/^\/api\/[a-z]/);
  });

  it('gives every route a parameter schema with exactly the parameters its path names', () => {
    for (const [name, route] of routes) {
      const shape = (route.params as unknown as z.ZodObject).shape;
      expect(Object.keys(shape).sort(), name).toEqual(paramNamesOf(route.path).sort());
    }
  });

  it('sends a body only with writes, and answers 201 only to a POST', () => {
    for (const [name, route] of routes) {
      if (route.method === 'GET' || route.method === 'DELETE') expect(route.request, name).toBe(NO_BODY);
      else expect(route.request, name).not.toBe(NO_BODY);
      if (route.status === 201) expect(route.method, name).toBe('POST');
    }
  });

  it('marks the upload and the two file downloads, and gives every other route a response schema', () => {
    const uploads = routes.filter(([, route]) => route.request === FILE_UPLOAD).map(([name]) => name);
    const downloads = routes.filter(([, route]) => route.response === FILE_DOWNLOAD).map(([name]) => name);
    expect(uploads).toEqual(['addEvidenceFile']);
    expect(downloads.sort()).toEqual(['getAssessorEvidenceFile', 'getEvidenceFile']);
    for (const [name, route] of routes) if (route.response !== FILE_DOWNLOAD) expect(route.response, name).toBeInstanceOf(z.ZodType);
  });

  it('lists only error codes of the closed list, each with a details schema or null', () => {
    for (const [name, route] of routes) {
      for (const [code, details] of Object.entries(route.errors)) {
        expect(ERROR_CODES, `${name}: ${code}`).toContain(code);
        if (details !== null) expect(details, `${name}: ${code}`).toBeInstanceOf(z.ZodType);
      }
    }
  });

  it('refuses a path parameter that cannot be stored as text', () => {
    expect(apiRoutes.getEvidence.params.safeParse({ id: 'a\u0000b' }).success).toBe(false);
    expect(apiRoutes.getEvidence.params.safeParse({ id: '' }).success).toBe(false);
    expect(apiRoutes.getEvidence.params.safeParse({ id: 'ev-1' }).success).toBe(true);
  });
});

describe('pathOf', () => {
  it('returns a path without parameters as it is', () => {
    expect(pathOf(apiRoutes.getSession, {})).toBe('/api/session');
  });

  it('fills in each parameter, percent-encoded so an id stays one segment', () => {
    expect(pathOf(apiRoutes.getEvidenceFile, { id: 'ev 1', fileId: 'a/b?c#d' })).toBe('/api/evidence/ev%201/files/a%2Fb%3Fc%23d');
    expect(pathOf(apiRoutes.signRecord, { userId: 'https://lms/u/7', recordId: 'r1' })).toBe('/api/assessor/learners/https%3A%2F%2Flms%2Fu%2F7/records/r1/sign');
  });

  it('throws on a missing parameter instead of building a URL with a hole in it', () => {
    expect(() => pathOf(apiRoutes.getEvidence, {} as { id: string })).toThrow(/"id" is missing/);
  });
});
