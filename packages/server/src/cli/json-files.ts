/**
 * Reading and writing the JSON files of an export. Reads accept what real exports contain: Parse's
 * `{"results":[…]}`, a bare array, or MongoDB's one-document-per-line (mongoexport's default). Writes stream
 * one object per line, so an export never holds a whole class in memory as one string.
 */
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { isPlainObject } from '../codec/values.js';
import { CliError } from './errors.js';

export function readJsonFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

export function readResults(file: string): unknown[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const json = JSON.parse(trimmed) as unknown;
    if (Array.isArray(json)) return json;
    if (isPlainObject(json) && Array.isArray(json.results)) return json.results;
    if (isPlainObject(json) && !('results' in json)) return [json];
    throw new CliError(`${file}: expected {"results":[…]}`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    return readJsonLines(file, trimmed);
  }
}

function readJsonLines(file: string, text: string): unknown[] {
  return text.split('\n').flatMap((line, index) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      throw new CliError(`${file}: line ${index + 1} is not valid JSON`);
    }
  });
}

export function writeJsonFile(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** A `{"results":[…]}` file written page by page. */
export class ResultsWriter {
  private readonly stream;
  private first = true;

  constructor(file: string) {
    this.stream = createWriteStream(file);
    this.stream.write('{"results":[');
  }

  async write(objects: readonly unknown[]): Promise<void> {
    for (const object of objects) {
      const ok = this.stream.write(`${this.first ? '\n' : ',\n'}${JSON.stringify(object)}`);
      this.first = false;
      if (!ok) await once(this.stream, 'drain');
    }
  }

  async close(): Promise<void> {
    this.stream.end(`${this.first ? '' : '\n'}]}\n`);
    await once(this.stream, 'finish');
  }
}
