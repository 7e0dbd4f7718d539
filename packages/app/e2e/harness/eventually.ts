/** Retries an assertion until it passes or the time is up; the last failure is the one reported. */
export async function eventually<T>(check: () => Promise<T> | T, { timeout = 10_000, interval = 200 } = {}): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }
}
