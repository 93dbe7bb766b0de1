import { parseArgs, ParseArgsConfig } from 'node:util';

/** A mistake in how a command was called; printed with the command's name and exit code 1. */
export class CliUsageError extends Error {}

/** Output streams of a command: stdout for its result, stderr for progress and errors. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Full help shown by `<command> --help`. */
  help: string;
  /** Runs the command and returns the process exit code. */
  run(args: string[], output: CliOutput): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments strictly with `node:util` parseArgs, adding `--help`.
 * Unknown options and missing option values become a `CliUsageError` naming the argument.
 */
export function parseCommandArgs<T extends Options>(args: string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw new CliUsageError(error.message);
    }
    throw error;
  }
}

/** Returns the value of a required string option or raises naming it. */
export function requiredOption(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new CliUsageError(`missing required option --${name}`);
  return value;
}
