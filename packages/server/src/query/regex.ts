/**
 * The regex safety layer. Parse clients send PCRE-flavoured patterns (the SDK quotes literals with `\Q…\E`);
 * we accept only what RE2 can run in linear time *and* what PostgreSQL's ARE engine reads the same way, so a
 * query means the same thing on both back ends and no pattern can stall the server.
 */
import { RE2JS } from 're2js';
import { invalidQuery } from '../errors/parse-error.js';

export const MAX_REGEX_LENGTH = 1000;
/** PostgreSQL caps `{n,m}` at 255 (RE2 at 1000); the lower bound keeps both back ends in agreement. */
const MAX_REPEAT = 255;
const OPTIONS_PATTERN = /^[imxs]+$/;
/** Characters with a meaning in RE2 or ARE outside brackets; escaping them makes them literal in both. */
const META = new Set([...'\\.+*?()|[]{}^$-']);

export interface SafeRegex {
  /** RE2 syntax, no `\Q…\E`, no free-spacing, no inline flags. */
  pattern: string;
  /** Canonical subset of "ims" (free-spacing `x` is applied during translation). */
  flags: string;
}

/** Validate `$regex`/`$options` operands and rewrite the pattern into the dialect both engines share. */
export function translateRegex(pattern: unknown, options?: unknown): SafeRegex {
  if (typeof pattern !== 'string') throw invalidQuery('$regex must be a string');
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw invalidQuery(`Invalid regular expression: longer than ${MAX_REGEX_LENGTH} characters`);
  }
  let flagText = '';
  if (options !== undefined && options !== null && options !== '') {
    if (typeof options !== 'string' || !OPTIONS_PATTERN.test(options)) {
      throw invalidQuery('Invalid $options value: only i, m, x and s are supported');
    }
    flagText = options;
  }
  const hoisted = hoistLeadingFlags(pattern);
  flagText += hoisted.flags;
  const translated = rewrite(hoisted.rest, flagText.includes('x'));
  const flags = canonicalFlags(flagText);
  try {
    compileRe2(translated, flags);
  } catch (error) {
    throw invalidQuery(`Invalid regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { pattern: translated, flags };
}

export function compileRe2(pattern: string, flags: string): RE2JS {
  let bits = 0;
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  return RE2JS.compile(pattern, bits);
}

/**
 * `^literal` with nothing after it, as the SDK's startsWith sends: returns the literal so the SQL compiler can
 * use an index range instead of a regex scan. Case-insensitive or multi-line patterns never qualify.
 */
export function literalPrefix(pattern: string, flags: string): string | null {
  if (flags.includes('i') || flags.includes('m') || !pattern.startsWith('^')) return null;
  let literal = '';
  for (let i = 1; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return null;
      literal += next;
      i++;
    } else if (META.has(c)) {
      return null;
    } else {
      literal += c;
    }
  }
  return literal;
}

export function escapeLiteral(text: string): string {
  let out = '';
  for (const c of text) out += META.has(c) ? `\\${c}` : c;
  return out;
}

/** A pattern rendered for PostgreSQL's `~` / `~*`, reproducing RE2's newline and anchor semantics. */
export function toPostgresRegex(safe: SafeRegex): { pattern: string; caseInsensitive: boolean } {
  const dotAll = safe.flags.includes('s');
  let out = '';
  let inClass = false;
  const p = safe.pattern;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const escape = postgresEscape(p, i + 1, inClass);
      out += escape.text;
      i += escape.consumed;
      continue;
    }
    if (inClass) {
      if (c === '[' && p[i + 1] === ':') {
        const end = p.indexOf(':]', i + 2);
        out += p.slice(i, end + 2);
        i = end + 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal member in both dialects.
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') out += p[++i];
      continue;
    }
    // RE2's `.` stops at newlines unless `s`; PostgreSQL's default lets it cross them.
    out += c === '.' && !dotAll ? '[^\\n]' : c;
  }
  // ARE embedded option `w`: `^`/`$` also match at newlines while `.` and brackets keep crossing them.
  const prefix = safe.flags.includes('m') ? '(?w)' : '';
  return { pattern: prefix + out, caseInsensitive: safe.flags.includes('i') };
}

/** The escape whose letter sits at `at`; `consumed` counts the characters read after the backslash. */
function postgresEscape(p: string, at: number, inClass: boolean): { text: string; consumed: number } {
  const next = p[at];
  switch (next) {
    case 'b':
      return { text: inClass ? '\\b' : '\\y', consumed: 1 };
    case 'B':
      return { text: '\\Y', consumed: 1 };
    case 'z':
      return { text: '\\Z', consumed: 1 };
    case 'x': {
      // ARE's `\x` eats every following hex digit; a fixed-width `\U` cannot swallow the next literal.
      const braced = /^\{([0-9A-Fa-f]{1,8})\}/.exec(p.slice(at + 1));
      const hex = braced ? braced[1] : p.slice(at + 1, at + 3);
      return { text: `\\U${hex.padStart(8, '0')}`, consumed: 1 + (braced ? braced[0].length : 2) };
    }
    case '0': {
      const octal = /^[0-7]{0,2}/.exec(p.slice(at + 1))![0];
      const code = parseInt(`0${octal}`, 8).toString(16).padStart(8, '0');
      return { text: `\\U${code}`, consumed: 1 + octal.length };
    }
    default:
      return { text: `\\${next}`, consumed: 1 };
  }
}

function canonicalFlags(text: string): string {
  return [...'ims'].filter((f) => text.includes(f)).join('');
}

/** `(?i)` at the very start becomes a flag; inline flags anywhere else are refused (ARE lacks them). */
function hoistLeadingFlags(pattern: string): { flags: string; rest: string } {
  const match = /^\(\?([imsxU]+)\)/.exec(pattern);
  if (!match) return { flags: '', rest: pattern };
  return { flags: match[1].replace('U', ''), rest: pattern.slice(match[0].length) };
}

/**
 * One pass over the pattern: expands `\Q…\E` to escaped literals, applies free-spacing (`x`), drops group
 * names (we never read captures) and refuses the constructs one of the two engines would read differently.
 */
function rewrite(pattern: string, freeSpacing: boolean): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw invalidQuery('Invalid regular expression: trailing backslash');
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = pattern.slice(i + 2, end === -1 ? pattern.length : end);
        out += escapeLiteral(literal);
        i = end === -1 ? pattern.length : end + 1;
        continue;
      }
      if (next === 'E') {
        i++;
        continue;
      }
      if (next === 'p' || next === 'P' || next === 'C') {
        throw invalidQuery(`Invalid regular expression: \\${next} is not supported`);
      }
      out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end === -1) throw invalidQuery('Invalid regular expression: unterminated character class');
        if (pattern[i + 2] === '^') throw invalidQuery('Invalid regular expression: negated POSIX classes are not supported');
        out += pattern.slice(i, end + 2);
        i = end + 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (freeSpacing && /\s/.test(c)) continue;
    if (freeSpacing && c === '#') {
      const newline = pattern.indexOf('\n', i);
      i = newline === -1 ? pattern.length : newline;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += pattern[++i];
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const group = /^\(\?(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|:)/.exec(pattern.slice(i));
      if (!group) throw invalidQuery('Invalid regular expression: only (?:…) and named groups are supported');
      out += group[1] === undefined ? '(?:' : '(';
      i += group[0].length - 1;
      continue;
    }
    if (c === '{') {
      const repeat = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!repeat) {
        out += '\\{';
        continue;
      }
      if (Number(repeat[1]) > MAX_REPEAT || (repeat[3] && Number(repeat[3]) > MAX_REPEAT)) {
        throw invalidQuery(`Invalid regular expression: repeat counts above ${MAX_REPEAT} are not supported`);
      }
      out += repeat[0];
      i += repeat[0].length - 1;
      continue;
    }
    out += c === '}' ? '\\}' : c;
  }
  return out;
}
