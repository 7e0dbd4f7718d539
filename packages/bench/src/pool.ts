/** Runs async jobs with bounded concurrency, failing fast on the first error. */
export async function runPool<T>(count: number, concurrency: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let nextIndex = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && nextIndex < count) {
      const index = nextIndex++;
      try {
        results[index] = await job(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
