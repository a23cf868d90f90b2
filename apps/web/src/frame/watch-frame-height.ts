/** The message Canvas and Moodle listen for to resize the tool's iframe. */
export interface FrameResizeMessage {
  subject: 'lti.frameResize';
  height: number;
}

export type PostToParent = (message: FrameResizeMessage) => void;

/**
 * Returns a function to call with each measured height. It rounds up (a fraction of a pixel short
 * shows a scrollbar) and posts only when the rounded height changes, because every message makes
 * the LMS relayout its page.
 */
export function createFrameHeightReporter(post: PostToParent): (height: number) => void {
  let lastSent: number | null = null;
  return (height) => {
    if (!Number.isFinite(height) || height <= 0) return;
    const rounded = Math.ceil(height);
    if (rounded === lastSent) return;
    lastSent = rounded;
    post({ subject: 'lti.frameResize', height: rounded });
  };
}

/** The parts of `window` this needs, so tests can pass their own. */
export interface FrameHost {
  parent: { postMessage(message: unknown, targetOrigin: string): void } | null;
  ResizeObserver?: typeof ResizeObserver;
}

/**
 * Tells the LMS the content height whenever it changes. Does nothing outside a frame. The target
 * origin is '*' because the platform's origin is not known to the page, and the message carries
 * nothing but a height.
 */
export function watchFrameHeight(element: Element, host: FrameHost): () => void {
  const parent = host.parent;
  if (parent === null || (parent as unknown) === host || host.ResizeObserver === undefined) return () => {};
  const report = createFrameHeightReporter((message) => parent.postMessage(message, '*'));
  const observer = new host.ResizeObserver((entries) => {
    for (const entry of entries) {
      const box = entry.borderBoxSize?.[0];
      report(box ? box.blockSize : entry.target.getBoundingClientRect().height);
    }
  });
  observer.observe(element);
  report(element.getBoundingClientRect().height);
  return () => observer.disconnect();
}
