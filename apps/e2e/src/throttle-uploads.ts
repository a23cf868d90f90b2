import type { BrowserContext, Frame } from 'playwright-core';

export interface UploadThrottle {
  /** Back to full speed, and the DevTools session closed. */
  release(): Promise<void>;
}

/**
 * Slows the uploads of one frame to `bytesPerSecond`, over the Chrome DevTools Protocol
 * (`Network.emulateNetworkConditions`). The tool's frame is cross-site, so Chromium runs it in a
 * process of its own: the session must be opened on that frame, since throttling the LMS page
 * around it would leave the frame's requests at loopback speed.
 */
export async function throttleUploads(context: BrowserContext, frame: Frame, bytesPerSecond: number): Promise<UploadThrottle> {
  const session = await context.newCDPSession(frame);
  await session.send('Network.enable');
  await session.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  return {
    async release() {
      await session.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await session.detach();
    },
  };
}
