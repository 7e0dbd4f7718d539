/** Reading the deployment files for the checks in deploy.test.ts: the Dockerfile as instructions, compose as data. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const repoFile = (relative: string) => readFileSync(path.join(REPO_ROOT, relative), 'utf8');

export interface Instruction {
  stage: string;
  keyword: string;
  args: string;
}

/** One entry per instruction, continuation lines joined, each tagged with the stage (`FROM … AS name`) it belongs to. */
export function dockerInstructions(text: string): Instruction[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  let stage = '';
  return logical.map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? '';
    return { stage, keyword: keyword.toUpperCase(), args };
  });
}

/** An exec-form instruction's argument list (`CMD ["node", "x.js"]`). */
export const execForm = (args: string): string[] => JSON.parse(args.replace(/^.*?(\[.*\])\s*$/, '$1')) as string[];

export interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  expose?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

/** Compose resolves `<<: *anchor` merges; so must we. */
export const composeFile = (): ComposeFile => parse(repoFile('deploy/compose.yaml'), { merge: true }) as ComposeFile;
