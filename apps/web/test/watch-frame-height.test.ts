import { describe, expect, it } from 'vitest';
import { createFrameHeightReporter, watchFrameHeight, type FrameHost, type FrameResizeMessage } from '../src/frame/watch-frame-height.ts';

describe('createFrameHeightReporter', () => {
  it('posts the lti.frameResize message with the height rounded up', () => {
    const sent: FrameResizeMessage[] = [];
    const report = createFrameHeightReporter((m) => sent.push(m));
    report(640.2);
    expect(sent).toEqual([{ subject: 'lti.frameResize', height: 641 }]);
  });

  it('posts again only when the rounded height changes', () => {
    const sent: FrameResizeMessage[] = [];
    const report = createFrameHeightReporter((m) => sent.push(m));
    report(500);
    report(499.5);
    report(500);
    report(501);
    report(480);
    expect(sent.map((m) => m.height)).toEqual([500, 501, 480]);
  });

  it('ignores heights that cannot size a frame', () => {
    const sent: FrameResizeMessage[] = [];
    const report = createFrameHeightReporter((m) => sent.push(m));
    report(0);
    report(Number.NaN);
    report(-3);
    expect(sent).toEqual([]);
  });
});

class FakeResizeObserver {
  static instances: FakeResizeObserver[] = [];
  readonly observed: Element[] = [];
  disconnected = false;
  constructor(readonly callback: ResizeObserverCallback) {
    FakeResizeObserver.instances.push(this);
  }
  observe(target: Element) { this.observed.push(target); }
  unobserve() {}
  disconnect() { this.disconnected = true; }
  resize(target: Element, blockSize: number) {
    const entry = { target, borderBoxSize: [{ blockSize, inlineSize: 375 }] } as unknown as ResizeObserverEntry;
    this.callback([entry], this as unknown as ResizeObserver);
  }
}

function fakeElement(height: number): Element {
  return { getBoundingClientRect: () => ({ height }) } as unknown as Element;
}

describe('watchFrameHeight', () => {
  it('posts the initial height and every change to the parent window with target origin *', () => {
    const posted: Array<{ message: unknown; origin: string }> = [];
    const host: FrameHost = { parent: { postMessage: (message, origin) => posted.push({ message, origin }) }, ResizeObserver: FakeResizeObserver as unknown as typeof ResizeObserver };
    const element = fakeElement(300);
    const stop = watchFrameHeight(element, host);
    const observer = FakeResizeObserver.instances.at(-1);
    observer?.resize(element, 420);
    expect(observer?.observed).toEqual([element]);
    expect(posted).toEqual([
      { message: { subject: 'lti.frameResize', height: 300 }, origin: '*' },
      { message: { subject: 'lti.frameResize', height: 420 }, origin: '*' },
    ]);
    stop();
    expect(observer?.disconnected).toBe(true);
  });

  it('does nothing when the page is not inside a frame', () => {
    const before = FakeResizeObserver.instances.length;
    // A top-level window is its own parent.
    const host: FrameHost = { parent: null, ResizeObserver: FakeResizeObserver as unknown as typeof ResizeObserver };
    host.parent = host as unknown as FrameHost['parent'];
    watchFrameHeight(fakeElement(300), host);
    expect(FakeResizeObserver.instances.length).toBe(before);
  });
});
