// The browser-test harness, for any package that wants to drive the tool in chromium.
export { launchChromium } from './launch-chromium.ts';
export { listen, type RunningServer } from './listen.ts';
