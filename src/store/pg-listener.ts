/**
 * LISTEN on a connection of its own (outside the pool: a pooled connection cannot hold a LISTEN), for
 * the notification migration 008's trigger sends on every insert into `jobs`. When the connection is
 * lost (server restart, network, pg_terminate_backend) it reconnects by itself, 250 ms doubling up to 5 s,
 * and calls `onNotify` once connected again: notifications sent while it was away are lost, so the
 * workers look for jobs then.
 */
import pg from 'pg';
import type { Logger } from '../shared/log.js';
import { describeConnectError, redactUrl } from './connect-postgres.js';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

export const jobsChannel = (schema: string) => `tandem_jobs:${schema}`;

export class PgListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private failing = false;
  private everConnected = false;
  /** True while the LISTEN is in place. */
  connected = false;
  /** Times a lost connection was re-established (for tests and the node's status). */
  reconnects = 0;

  constructor(private readonly url: string, private readonly onNotify: () => void, private readonly log?: Logger) {}

  start(): this {
    void this.connect();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.connected = false;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    this.client = client;
    client.on('error', () => this.lost(client)); // without a listener an 'error' would end the process
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      const { rows } = await client.query<{ schema: string }>('select current_schema() as schema');
      await client.query(`LISTEN ${client.escapeIdentifier(jobsChannel(rows[0]?.schema ?? 'public'))}`);
    } catch (err) {
      if (!this.failing) this.log?.warn({ err: describeConnectError(err), url: redactUrl(this.url) }, 'job listener cannot reach PostgreSQL; retrying (workers poll meanwhile)');
      this.failing = true;
      this.lost(client);
      return;
    }
    if (this.stopped || this.client !== client) return void client.end().catch(() => undefined);
    client.on('notification', () => this.onNotify());
    if (this.everConnected) {
      this.reconnects += 1;
      this.log?.info('job listener connected again');
    }
    this.everConnected = true;
    this.failing = false;
    this.retryMs = FIRST_RETRY_MS;
    this.connected = true;
    this.onNotify();
  }

  private lost(client: pg.Client): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    this.connected = false;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    const delay = this.retryMs;
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}

export function startJobListener(url: string, onJobs: () => void, log?: Logger): PgListener {
  return new PgListener(url, onJobs, log).start();
}
