import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

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
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
