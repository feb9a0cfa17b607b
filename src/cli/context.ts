/**
 * What every command action receives: writers for stdout/stderr (injectable for tests), the global
 * options, the config (loaded on first use) and a logger that redacts the config's secrets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../shared/errors.js';
import type { Command } from 'commander';
import { defaultConfigPath, loadConfig, type Env, type LoadedConfig } from '../config/load.js';
import { createLogger, secretScrubber, type Logger } from '../shared/log.js';
import { chooseLogFormat, prettyLine } from '../shared/log-pretty.js';

export interface Writer {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The outside world of one `run`: streams, environment, working directory. */
export interface CliIO {
  stdout: Writer;
  stderr: Writer;
  env: Env;
  cwd: string;
}

/** State shared by the commands of one `run`: where output goes and which secrets to scrub from it. */
export class Session {
  exitCode = 0;
  private secrets: readonly string[] = [];
  private scrub: (text: string) => string = (t) => t;

  constructor(readonly io: CliIO) {}

  addSecrets(secrets: readonly string[]): void {
    this.secrets = [...new Set([...this.secrets, ...secrets])];
    this.scrub = secretScrubber(this.secrets);
  }

  get knownSecrets(): readonly string[] {
    return this.secrets;
  }

  /** Replaces every secret known so far (the config's, once loaded). */
  scrubText(text: string): string {
    return this.scrub(text);
  }

  /** Writes a line (a newline is added when missing), secrets replaced. */
  out(text: string): void {
    this.io.stdout.write(withNewline(this.scrub(text)));
  }

  err(text: string): void {
    this.io.stderr.write(withNewline(this.scrub(text)));
  }
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The variables of a .env file beside the config, under the environment (which wins). */
export function withDotEnv(configPath: string, env: Env): Env {
  const path = join(dirname(configPath), '.env');
  if (!existsSync(path)) return env;
  try {
    return { ...parseEnv(readFileSync(path, 'utf8')), ...env };
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** The variables referenced under `systems:` that the environment lacks, set to a placeholder. */
function withSystemPlaceholders(configPath: string, env: Env): Env {
  let systems: unknown;
  try {
    systems = (parseYaml(readFileSync(configPath, 'utf8')) as { systems?: unknown } | null)?.systems;
  } catch {
    return env; // loadConfig reports it
  }
  const names = [...JSON.stringify(systems ?? {}).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}/g)].map((m) => m[1] as string);
  const missing = names.filter((n) => env[n] === undefined || env[n] === '');
  return missing.length ? { ...env, ...Object.fromEntries(missing.map((n) => [n, 'not-set-store-only-command'])) } : env;
}

export interface GlobalOptions {
  config?: string;
  verbose?: boolean;
  json?: boolean;
  logFormat?: string;
}

export interface CliContext {
  /** --json: print machine-readable output. */
  readonly json: boolean;
  readonly verbose: boolean;
  /** Absolute path of the config file (from --config, TANDEM_CONFIG, or ./tandem.yaml). */
  readonly configPath: string;
  readonly cwd: string;
  out(text: string): void;
  err(text: string): void;
  /**
   * Loads and validates the config once; throws UsageError with `path: message` lines. `storeOnly`: for
   * commands that read only the store, a credential of systems.* missing from the environment is no error.
   */
  loadConfig(opts?: { storeOnly?: boolean }): LoadedConfig;
  /** pino logger on stderr (pretty on a terminal, JSON otherwise, or --log-format); level from the config (debug with --verbose), secrets redacted. */
  readonly logger: Logger;
  /** Where progress goes: stdout (stderr with --json, so stdout stays one JSON document); knows whether it is a terminal. */
  readonly progress: Writer;
  /** More values to redact from every output (credentials decrypted from the store). */
  addSecrets(values: readonly string[]): void;
}

export function createContext(session: Session, globals: GlobalOptions): CliContext {
  const { io } = session;
  const configPath = globals.config ? resolve(io.cwd, globals.config) : defaultConfigPath(io.env, io.cwd);
  let loaded: LoadedConfig | undefined;
  let logger: Logger | undefined;
  const verbose = Boolean(globals.verbose);
  const logFormat = chooseLogFormat(globals.logFormat ?? io.env.TANDEM_LOG_FORMAT, Boolean(io.stderr.isTTY));
  const tty = Boolean(io.stderr.isTTY);
  // on a terminal a log line first clears the line, so it never lands inside a redrawn progress bar
  const toStderr = logFormat === 'pretty'
    ? (s: string) => void io.stderr.write(`${tty ? '\r\u001b[K' : ''}${prettyLine(s, { color: tty })}`)
    : (s: string) => void io.stderr.write(s);
  const progressOut = globals.json ? io.stderr : io.stdout;
  return {
    json: Boolean(globals.json),
    verbose,
    configPath,
    cwd: io.cwd,
    out: (text) => session.out(text),
    progress: { isTTY: Boolean(progressOut.isTTY), write: (text: string) => progressOut.write(text) },
    addSecrets: (values) => session.addSecrets(values),
    err: (text) => session.err(text),
    loadConfig(opts = {}) {
      if (!loaded) {
        const rel = relative(io.cwd, configPath);
        const env = withDotEnv(configPath, io.env);
        loaded = loadConfig(configPath, opts.storeOnly ? withSystemPlaceholders(configPath, env) : env, rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : configPath);
        session.addSecrets(loaded.secrets);
      }
      return loaded;
    },
    get logger() {
      logger ??= createLogger({
        level: verbose ? 'debug' : (loaded?.config.log.level ?? 'info'),
        secrets: session.knownSecrets,
        // also scrubs secrets of a config loaded after the logger was created
        destination: { write: (s: string) => toStderr(session.scrubText(s)) },
      });
      return logger;
    },
  };
}

/**
 * Wraps a command's action for commander: builds the context from the global options and stores the
 * action's exit code. Commander passes (...arguments, options, command).
 */
export function act<O>(session: Session, action: (opts: O, ctx: CliContext, args: unknown[]) => Promise<number> | number) {
  return async (...params: unknown[]): Promise<void> => {
    const cmd = params[params.length - 1] as Command;
    const opts = cmd.opts() as O;
    const ctx = createContext(session, cmd.optsWithGlobals() as GlobalOptions);
    session.exitCode = await action(opts, ctx, params.slice(0, -2));
  };
}

/** `tandem <name> …`: the existing group command, or a new one. */
export function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}
