/** Shapes of what a run records; written as JSON and rendered into the console and PERFORMANCE.md. */
import type { DataSizes } from './dataset.js';
import type { Measurement } from './measure.js';
import type { ClassTiming } from './seed.js';
import type { TargetName } from './targets/types.js';

export interface ScenarioResult {
  id: string;
  label: string;
  goal?: number;
  /** False when pre-flight or the timed run saw errors, empty answers or wrong answers. */
  valid: boolean;
  problems: string[];
  measurement?: Measurement;
}

export interface SeedSummary {
  seconds: number;
  rows: number;
  rowsPerSecond: number;
  perClass: Record<string, ClassTiming>;
}

export interface TargetResult {
  name: TargetName;
  description?: string;
  /** Share of all cores busy in the second before the target started (someone else's work skews results). */
  busyBeforePercent: number;
  /** Set when the target could not be started, seeded or measured at all. */
  error?: string;
  seed?: SeedSummary;
  scenarios: ScenarioResult[];
}

export interface Comparison {
  id: string;
  label: string;
  goal?: number;
  /** ours req/s divided by parse-server req/s. */
  ratio?: number;
  /** undefined when it cannot be decided (missing or invalid row). */
  met?: boolean;
  note?: string;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memGiB: number;
  node: string;
  os: string;
}

export interface RunResult {
  date: string;
  command: string;
  /** git revision of the repository (and whether packages/server had uncommitted changes). */
  revision: string;
  machine: Machine;
  load: { connections: number; durationS: number; warmupS: number };
  seed: number;
  sizes: DataSizes;
  rep: { username: string; dealsOwned: number };
  targets: TargetResult[];
  comparison: Comparison[];
}

/** Above this much CPU (% of one core) used by unrelated processes during a timed run, the row is noisy. */
export const DISTURBED_PERCENT = 20;
