import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { SubmittedNotice, standingOf } from '../src/portfolio/submitted-notice.tsx';
import { makeItem, makeUnit, mapping, textOf } from './portfolio-factories.ts';

const ignore = () => undefined;
const unit = makeUnit();
const submitted = (overrides: Parameters<typeof makeItem>[0] = {}) => makeItem({ state: 'submitted', submittedAt: '2026-05-02T10:00:00Z', ...overrides });
const render = (item: ReturnType<typeof makeItem>, options: { signedUnitLabel?: string | null; isReopening?: boolean } = {}) =>
  renderToStaticMarkup(<SubmittedNotice item={item} unit={unit} signedUnitLabel={options.signedUnitLabel ?? null} isReopening={options.isReopening ?? false} onReopen={ignore} />);

describe('the notice at the top of a submitted item', () => {
  it('says a referred item was referred back, by whom, on which requirements in words, and what to do, with the feedback and the reopen action', () => {
    const item = submitted({
      mappings: [mapping('209.1.1', { decision: 'accepted' }), mapping('209.1.2', { decision: 'referred', feedback: 'Say what you told the customer.' })],
      feedback: [{ id: 'f1', authorName: 'Sam Assessor', text: 'Nearly there.', createdAt: '2026-05-03T09:00:00Z', actionPlan: null }],
    });
    const text = textOf(render(item));
    expect(standingOf(item, false)).toBe('referred');
    expect(text).toMatch(/^Referred back by Sam Assessor\. This evidence does not yet show this requirement: 209\.1\.2 keep your customer informed Read the feedback, change the evidence, then submit it again\./);
    expect(text).toContain('Feedback from your assessor Sam Assessor');
    expect(text).toContain('Nearly there.');
    expect(text).toContain('Say what you told the customer.');
    expect(text).toContain('Edit and reopen this evidence');
    expect(text).not.toMatch(/with your assessor|locked/);
  });

  it('says a submitted item without referrals is with the assessor and locked, and offers to reopen it', () => {
    const text = textOf(render(submitted({ mappings: [mapping('209.1.1')] })));
    expect(text).toMatch(/^Submitted for assessment on 2 May 2026\. It is locked so your assessor sees what you submitted\./);
    expect(text).toContain('Edit and reopen this evidence');
    expect(text).not.toContain('Referred');
  });

  it('offers no reopening for an item a signed-off unit rests on, even if a mapping was referred', () => {
    const item = submitted({ mappings: [mapping('209.1.2', { decision: 'referred', feedback: 'x' })] });
    const text = textOf(render(item, { signedUnitLabel: '209' }));
    expect(standingOf(item, true)).toBe('signed-off');
    expect(text).toContain('which your assessor has signed off, so it can no longer change');
    expect(text).not.toContain('Edit and reopen');
  });

  it('names the assessor in general words when no feedback carries a name, and a referral in another unit by its ref', () => {
    const text = textOf(render(submitted({ mappings: [mapping('1.1', { unitId: 'nvq2-cs-210', decision: 'referred', feedback: 'Add a date.' })] })));
    expect(text).toContain('Referred back by your assessor.');
    expect(text).toContain('1.1 (another unit)');
    expect(text).toContain('Your assessor left no general feedback on this evidence.');
  });
});
