import { IsoDateSchema } from '@attest/standards';
import { z } from 'zod';

// Every text field of the API goes through here. PostgreSQL cannot store U+0000 in text (the insert
// fails, and the request with it), and a lone UTF-16 surrogate half is no character at all: it
// cannot be encoded as UTF-8 and turns into U+FFFD or an error on the way to the database. Both are
// refused at the edge, with a finding on the field's path, so they never reach a query.

/** The stable reason a text field was refused, in the finding's `params.reason`. */
export type TextRefusalReason = 'text_contains_nul' | 'text_contains_lone_surrogate';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored as text, or null when it can: for text that arrives outside a body (headers, paths). */
export function textRefusalOf(text: string): TextRefusalReason | null {
  if (text.includes('\u0000')) return 'text_contains_nul';
  return LONE_SURROGATE.test(text) ? 'text_contains_lone_surrogate' : null;
}

/** Whether `text` has neither U+0000 nor an unpaired surrogate. */
export function isSafeText(text: string): boolean {
  return textRefusalOf(text) === null;
}

/**
 * `z.string()` that refuses U+0000 and unpaired surrogates; chain the field's own rules after it
 * (`safeText().trim().min(1).max(200)`). Use it for every string in this package.
 */
export function safeText() {
  return z
    .string()
    .refine((text) => !text.includes('\u0000'), { message: 'must not contain the NUL character (U+0000)', params: { reason: 'text_contains_nul' satisfies TextRefusalReason } })
    .refine((text) => !LONE_SURROGATE.test(text), { message: 'must not contain a lone surrogate (text that is not valid Unicode)', params: { reason: 'text_contains_lone_surrogate' satisfies TextRefusalReason } });
}

/** A calendar date (YYYY-MM-DD), as the engine's IsoDateSchema reads it, refused as text first like every other field. */
export const CalendarDateSchema = safeText().pipe(IsoDateSchema);
