/** Summarises `node --cpu-prof` output: self time per function and per source area, hottest first. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Share of samples outside (idle) — i.e. the busy part. */
  busyMs: number;
  topFunctions: { name: string; ms: number; percent: number }[];
  byArea: { area: string; ms: number; percent: number }[];
}

/** Groups a source location into something a reader can act on. */
function areaOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)' || fn === '(idle)') return fn;
  if (!url) return fn === '' ? '(native / anonymous)' : `native: ${fn}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm: ${nm[1]}`;
  const ours = /packages\/server\/dist\/(.+)$/.exec(url);
  if (ours) {
    const path = ours[1]!;
    const dir = path.split('/').slice(0, -1).join('/');
    return `server: ${dir || path}`;
  }
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  return url.split('/').slice(-2).join('/');
}

export function summariseProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const perFunction = new Map<string, number>();
  const perArea = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const short = url
      ? `${url
          .replace(/^file:\/\//, '')
          .split('/')
          .slice(-2)
          .join('/')}:${lineNumber + 1}`
      : '';
    const name = `${functionName || '(anonymous)'}${short ? ` ${short}` : ''}`;
    perFunction.set(name, (perFunction.get(name) ?? 0) + us);
    const area = areaOf(url, functionName);
    perArea.set(area, (perArea.get(area) ?? 0) + us);
  }
  const busy = total - idle;
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ ms: us / 1000, percent: (us / busy) * 100, name }));
  return {
    file,
    totalMs: total / 1000,
    busyMs: busy / 1000,
    topFunctions: rank(perFunction),
    byArea: rank(perArea).map(({ name, ms, percent }) => ({ area: name, ms, percent })),
  };
}

export function summariseProfileDir(dir: string): ProfileSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => summariseProfile(join(dir, f)));
}

export function renderProfile(s: ProfileSummary): string {
  const lines = [
    `profile ${s.file}: ${(s.busyMs / 1000).toFixed(1)} s busy of ${(s.totalMs / 1000).toFixed(1)} s`,
    '  by area (self time):',
  ];
  for (const a of s.byArea.slice(0, 15))
    lines.push(`    ${a.percent.toFixed(1).padStart(5)}%  ${a.ms.toFixed(0).padStart(7)} ms  ${a.area}`);
  lines.push('  hottest functions (self time):');
  for (const f of s.topFunctions)
    lines.push(`    ${f.percent.toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}`);
  return lines.join('\n');
}
