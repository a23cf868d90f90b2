import { configure } from '@testing-library/react';

/**
 * How long Testing Library's `waitFor`/`findBy…` wait for their condition: a bound for a busy CI
 * machine (two cores at load 18), not a speed target. Its own default, 1 s, turns a slow machine
 * into a red test. Imported for this side effect by every file that renders with Testing Library.
 */
export const DOM_WAIT_MS = 30_000;
configure({ asyncUtilTimeout: DOM_WAIT_MS });
