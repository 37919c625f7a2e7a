/**
 * What a developer sees while `npm start` gets ready: one line per phase with what it did and how
 * long it took, instead of the tools' own output (shown only when a phase fails, or with
 * `--verbose`). Warnings that need action are printed as they come.
 */
export interface Progress {
  /** A finished phase: `build   9 functions in 4 projects   1.52 s`. */
  phase(name: string, detail: string, ms: number): void;
  /** Something a developer must act on (printed whatever the verbosity). */
  warn(line: string): void;
  /** A tool's own output, printed with `--verbose` only. */
  verbose(text: string): void;
  /** A failure's details, printed once, whatever the verbosity. */
  fail(headline: string, details: string[]): void;
}

/** Progress lines on stderr, prefixed `local-runtime:`, the phase names aligned. */
export function consoleProgress(options: {
  verbose: boolean;
  write?: (line: string) => void;
}): Progress {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  return {
    phase(name, detail, ms) {
      write(`local-runtime: ${name.padEnd(18)} ${detail.padEnd(52)} ${seconds(ms)}`);
    },
    warn(line) {
      write(`local-runtime: warning: ${line}`);
    },
    verbose(text) {
      if (!options.verbose) return;
      for (const line of text.split('\n')) if (line.trim() !== '') write(`  ${line}`);
    },
    fail(headline, details) {
      write(`local-runtime: ${headline}`);
      for (const line of details) write(`  ${line}`);
    },
  };
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
