// Canonical JSON and its SHA-256: what signatures (src/assessment) and the audit trail's hash chain
// (src/audit) are computed over, so both can be recomputed later from stored content alone.
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted and no insignificant space, so the same content always has the same
 * bytes and a signature's digest can be checked again later from the stored content alone.
 * (The RFC 8785 idea, for the plain strings, numbers, booleans and nulls our signed content holds.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Hex SHA-256 of the canonical JSON of exactly what was signed. */
export function digestOf(signedContent: unknown): string {
  return createHash('sha256').update(canonicalJson(signedContent), 'utf8').digest('hex');
}
