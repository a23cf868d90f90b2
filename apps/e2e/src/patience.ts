/**
 * How long a browser test waits for something a person would wait for: a screen, a saved state, a
 * grade in the gradebook. Every wait in these suites is for a condition, bounded by this; none is a
 * fixed pause. The bound is generous on purpose: CI runs on two cores that other work may be
 * using (a run at load average 8 once missed a 15 s bound on a sign-off that was not broken), and a
 * generous bound costs nothing when the condition arrives early. A bound is not a speed target:
 * speed is measured by benchmarks that print figures.
 */
export const UI_WAIT_MS = 90_000;

/** One animation frame in the page, twice over: layout and paint have caught up with the last change. */
export const NEXT_PAINT = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
