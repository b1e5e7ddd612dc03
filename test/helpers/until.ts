/**
 * Resolves once `condition` holds, checking after each turn of the event loop. It waits for
 * an event, not for a time: the test's own timeout is the only limit.
 */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}
