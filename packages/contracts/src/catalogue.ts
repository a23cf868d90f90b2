import { z } from 'zod';
import { safeText } from './safe-text.ts';

/** One unit as listed in the catalogue (GET /api/catalogue). */
export const CatalogueEntrySchema = z.object({
  id: safeText(),
  codes: z.array(safeText()),
  title: safeText(),
  level: z.number().nullable(),
  awardingBody: safeText().nullable(),
  statementCount: z.number().int(),
});
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;
export const CatalogueSchema = z.array(CatalogueEntrySchema);

/** POST /api/deep-linking — the instructor's choice of units to place in the course. */
export const DeepLinkingRequestSchema = z.object({
  unitIds: z.array(safeText().min(1)).min(1).max(50),
});
export type DeepLinkingRequest = z.infer<typeof DeepLinkingRequestSchema>;

/**
 * The signed deep-linking response. The browser must POST `JWT=<jwt>` to `returnUrl` from inside
 * the LMS frame (LTI Deep Linking 2.0 §4.2), so the UI builds and submits that form itself.
 */
export const DeepLinkingResponseSchema = z.object({ returnUrl: safeText().url(), jwt: safeText() });
export type DeepLinkingResponse = z.infer<typeof DeepLinkingResponseSchema>;
