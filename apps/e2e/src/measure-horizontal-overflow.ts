import type { Frame } from 'playwright-core';

/**
 * How many CSS pixels the frame's document is wider than its viewport; 0 means no horizontal
 * scroll. Measured on the document and the body, since either can be the scrolling element.
 */
export function measureHorizontalOverflow(frame: Frame): Promise<number> {
  return frame.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return Math.max(0, root.scrollWidth - root.clientWidth, document.body.scrollWidth - document.documentElement.clientWidth);
  });
}
