/**
 * One place that knows how to undo everything the run created (child servers, databases, temp dirs),
 * so that Ctrl-C, a crash or the global deadline leave nothing behind.
 */
type Undo = () => Promise<void> | void;

const undos: { label: string; undo: Undo }[] = [];
const lastResortKills = new Set<number>();
let running: Promise<void> | undefined;

/** Registers an undo step; returns a function that runs it now (and only once). */
export function onCleanup(label: string, undo: Undo): () => Promise<void> {
  const entry = { label, undo };
  undos.push(entry);
  return async () => {
    const index = undos.indexOf(entry);
    if (index < 0) return;
    undos.splice(index, 1);
    await entry.undo();
  };
}

/** Child pids to SIGKILL synchronously if the process exits before the async undo steps could run. */
export function trackPid(pid: number): () => void {
  lastResortKills.add(pid);
  return () => lastResortKills.delete(pid);
}

export function cleanupAll(): Promise<void> {
  running ??= (async () => {
    while (undos.length > 0) {
      const { label, undo } = undos.pop()!;
      try {
        await undo();
      } catch (error) {
        console.error(`cleanup "${label}" failed: ${(error as Error).message}`);
      }
    }
  })();
  return running;
}

export function installExitHandlers(deadlineMs: number): void {
  const bail = (reason: string, code: number) => {
    console.error(`\n${reason}: cleaning up...`);
    void cleanupAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => bail('interrupted', 130));
  process.once('SIGTERM', () => bail('terminated', 143));
  process.on('uncaughtException', (error) => bail(`uncaught ${error.stack ?? error}`, 1));
  process.on('unhandledRejection', (error) => bail(`unhandled rejection ${(error as Error)?.stack ?? error}`, 1));
  const timer = setTimeout(() => bail(`global deadline of ${Math.round(deadlineMs / 1000)} s reached`, 124), deadlineMs);
  timer.unref();
  process.on('exit', () => {
    for (const pid of lastResortKills) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}
