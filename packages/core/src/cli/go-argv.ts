import { findFlag, FLAGS } from '../config/flag-table.js';
import { suggestKey } from '../config/edit-distance.js';
import { ConfigError } from '../errors/drainer-error.js';

export interface ParsedArgv {
  /** Canonical flag name → text, last occurrence wins (as Go's flag package does). */
  readonly flags: Record<string, string>;
  /** Everything that is not a flag (subcommand words), in order. */
  readonly positionals: string[];
  readonly help: boolean;
}

/**
 * Reads the command line the way Go's `flag` package does, so the Go drainer's command lines keep working:
 * `-name value`, `-name=value`, `--name value`, `--name=value`; boolean flags are `-name` or `-name=false` and never
 * take the next argument; a non-boolean flag always takes the next argument, even `-1` (`-initial-commit-ts -1`).
 * The Go short names `-L` (log level), `-c` (worker count) and `-V` (version) map to their long forms. Unknown
 * flags fail with the nearest known flag suggested. `--` ends flag parsing.
 */
/** `-name`, `--name`, `-name=value`, `--name=value` → the name and the `=value` part (undefined when absent). */
export function splitGoFlag(arg: string): { readonly name: string; readonly inline: string | undefined } {
  const body = arg.replace(/^--?/, '');
  const eq = body.indexOf('=');
  return eq < 0 ? { name: body, inline: undefined } : { name: body.slice(0, eq), inline: body.slice(eq + 1) };
}

export function parseGoArgv(args: readonly string[]): ParsedArgv {
  const flags: Record<string, string> = {};
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const { name, inline } = splitGoFlag(arg);
    if (name === 'h' || name === 'help') {
      help = true;
      continue;
    }
    const spec = findFlag(name);
    if (spec === undefined) {
      const s = suggestKey(
        name,
        FLAGS.flatMap((f) => [f.name, ...(f.aliases ?? [])]),
      );
      throw new ConfigError(
        `flag provided but not defined: -${name}${s === undefined ? '' : ` (did you mean -${s}?)`}`,
        { key: name },
      );
    }
    if (inline !== undefined) {
      flags[spec.name] = inline;
    } else if (spec.kind === 'bool') {
      flags[spec.name] = 'true';
    } else {
      const value = args[i + 1];
      if (value === undefined) throw new ConfigError(`flag needs an argument: -${name}`, { key: name });
      flags[spec.name] = value;
      i++;
    }
  }
  return { flags, positionals, help };
}
