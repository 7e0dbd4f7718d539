import type { CpuSnapshot } from '../proc.js';

export const TARGET_NAMES = ['ours', 'parse-server'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface StartOptions {
  appId: string;
  masterKey: string;
  /** parse-server only: add the secondary indexes it never creates on its own. */
  pgIndexes: boolean;
  log: (line: string) => void;
}

/** A server under test, running as a child process the runner owns. */
export interface RunningTarget {
  /** One of TARGET_NAMES for the main bench; extra suites may add servers of their own (bench:write-ceiling). */
  readonly name: string;
  /** e.g. "parse-server 9.10.0 on PostgreSQL 15.20"; goes into the report. */
  readonly description: string;
  readonly origin: string;
  readonly pid: number;
  /** Embedded storage only: the data directory (crm.sqlite), for suites that read what the server stored. */
  readonly dataDir?: string;
  /** CPU of processes outside the server's tree working on its behalf (its database), if any. */
  externalCpu(): CpuSnapshot | undefined;
  /** Runs once the data is loaded, before anything is timed. */
  afterSeed(): Promise<void>;
  /** Tail of the child's output, for failure reports. */
  logTail(): string;
  stop(): Promise<void>;
}
