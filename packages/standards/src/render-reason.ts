import { en } from './messages/en.ts';
import type { Reason } from './verdict.ts';

const catalogues = { en } as const;
export type Locale = keyof typeof catalogues;

/** Plain-language wording for a reason; codes and parameters stay the stable contract. */
export function renderReason(reason: Reason, locale: Locale = 'en'): string {
  return catalogues[locale][reason.code](reason.params);
}
