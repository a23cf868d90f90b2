import { CUSTOM_ATTEST_UNIT, LINE_ITEM_TAG } from './claims.ts';
import type { DeepLinkingSettings } from './id-token-claims.ts';

/** What Attest places: one unit per activity, out of 100, in a gradebook column it can find again. */
export const SCORE_MAXIMUM = 100;

/**
 * LTI Submission Review 1.0 §2 `submissionReview` on the line item: the platform may launch an
 * LtiSubmissionReviewRequest for a learner's result (Moodle: Grade analysis). No `url`: the review
 * launches the activity's own URL, whose `attest_unit` names the unit (Moodle stores "DEFAULT",
 * mod/lti/locallib.php `content_item_to_form`). No `reviewableStatus`: every learner's unit can be
 * opened, whatever its score says.
 */
export const SUBMISSION_REVIEW = { label: 'Open the learner’s unit in Attest' } as const;

export type DeepLinkingRefusal = 'resource_link_not_accepted' | 'several_items_not_accepted' | 'no_items';

/**
 * Deep Linking 2.0 §3.1 `ltiResourceLink` items, one per unit: the custom parameter names the unit
 * (it comes back on every launch of the activity) and the `lineItem` (§3.1.1) makes the platform
 * create the gradebook column. In Moodle only line items created this way drive activity completion.
 * The line item declares submission review, so the gradebook can open a learner's unit here.
 */
export function toDeepLinkingItems(
  units: readonly { unitId: string; title: string }[],
  launchUrl: string,
  settings: Pick<DeepLinkingSettings, 'accept_lineitem'> = {},
): Record<string, unknown>[] {
  // DL 2.0 §4.4.1 accept_lineitem: a platform that says false would reject or ignore a lineItem.
  const withLineItem = !isFalse(settings.accept_lineitem);
  return units.map((unit) => ({
    type: 'ltiResourceLink',
    title: unit.title,
    url: launchUrl,
    custom: { [CUSTOM_ATTEST_UNIT]: unit.unitId },
    ...(withLineItem ? { lineItem: { scoreMaximum: SCORE_MAXIMUM, label: unit.title, resourceId: unit.unitId, tag: LINE_ITEM_TAG, submissionReview: SUBMISSION_REVIEW } } : {}),
  }));
}

function isFalse(value: boolean | string | undefined): boolean {
  return value === false || value === 'false';
}

/** DL 2.0 §4.4.1: the platform says which item types it takes and whether it takes several. */
export function deepLinkingRefusal(settings: DeepLinkingSettings, itemCount: number): DeepLinkingRefusal | null {
  if (itemCount === 0) return 'no_items';
  if (settings.accept_types && !settings.accept_types.includes('ltiResourceLink')) return 'resource_link_not_accepted';
  if (itemCount > 1 && isFalse(settings.accept_multiple)) return 'several_items_not_accepted';
  return null;
}
