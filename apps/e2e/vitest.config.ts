import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { UI_WAIT_MS } from './src/patience.ts';

/**
 * Runs the proof that this browser blocks third-party cookies before the suites that rely on it,
 * so a run reports the premise first. The files do not depend on each other's state.
 */
class PremiseFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isPremise = (file: TestSpecification) => file.moduleId.endsWith('third-party-cookies.test.ts');
    return [...sorted.filter(isPremise), ...sorted.filter((file) => !isPremise(file))];
  }
}

// One file at a time: each file starts its own chromium, tool and emulator, and the machines that
// run this have two cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
    sequence: { sequencer: PremiseFirstSequencer },
    testTimeout: 300_000,
    // expect.poll without its own bound waits as long as the suites' other waits, not Vitest's 1 s.
    expect: { poll: { timeout: UI_WAIT_MS, interval: 250 } },
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
  },
});
