/** Prometheus metrics of one engine (own registry, so tests and several engines do not collide). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { liveLimits } from '../shared/adaptive-limit.js';

export interface EngineMetrics {
  registry: Registry;
  records: Counter<'entity' | 'direction' | 'outcome'>;
  runDuration: Histogram<'flow' | 'kind' | 'status'>;
  lastSuccess: Gauge<'flow'>;
  webhooks: Counter<'system' | 'result'>;
  jobs: Gauge<'state'>;
  jobDuration: Histogram<'kind' | 'result'>;
  lag: Gauge<'flow'>;
  alerts: Counter<'channel' | 'result'>;
  /** 1 while the system's circuit breaker is open (the system looks down; jobs wait for it). */
  circuitOpen: Gauge<'system'>;
  /** Requests allowed in flight to each system now (its adaptive limit), and in flight. */
  concurrencyLimit: Gauge<'system'>;
  inFlight: Gauge<'system'>;
  /** Records a successful run of a flow (feeds the lag and last-success gauges). */
  flowSucceeded(flow: string, at?: number): void;
}

export function createMetrics(): EngineMetrics {
  const registry = new Registry();
  const lastSuccess = new Gauge({ name: 'tandem_flow_last_success_timestamp_seconds', help: 'Unix time of the last successful run per flow', labelNames: ['flow'], registers: [registry] });
  const lagValues = new Map<string, number>();
  return {
    registry,
    records: new Counter({ name: 'tandem_records_total', help: 'Records processed, by entity, direction and outcome', labelNames: ['entity', 'direction', 'outcome'], registers: [registry] }),
    runDuration: new Histogram({ name: 'tandem_run_duration_seconds', help: 'Duration of sync runs', labelNames: ['flow', 'kind', 'status'], buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800], registers: [registry] }),
    lastSuccess,
    webhooks: new Counter({ name: 'tandem_webhook_deliveries_total', help: 'Webhook deliveries by system and result (accepted, duplicate, ping, rejected_<reason>)', labelNames: ['system', 'result'], registers: [registry] }),
    jobs: new Gauge({ name: 'tandem_jobs', help: 'Jobs by state', labelNames: ['state'], registers: [registry] }),
    jobDuration: new Histogram({ name: 'tandem_job_duration_seconds', help: 'Job handler duration', labelNames: ['kind', 'result'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60], registers: [registry] }),
    lag: new Gauge({
      name: 'tandem_flow_lag_seconds',
      help: 'Seconds since the last successful run of each flow',
      labelNames: ['flow'],
      registers: [registry],
      collect() {
        const now = Date.now() / 1000;
        for (const [flow, at] of lagValues) this.set({ flow }, Math.max(0, now - at));
      },
    }),
    alerts: new Counter({ name: 'tandem_alerts_total', help: 'Alerts sent by channel and result', labelNames: ['channel', 'result'], registers: [registry] }),
    circuitOpen: new Gauge({ name: 'tandem_circuit_open', help: '1 while the system looks down and jobs wait for it (circuit breaker open)', labelNames: ['system'], registers: [registry] }),
    concurrencyLimit: new Gauge({
      name: 'tandem_remote_concurrency_limit',
      help: 'Requests allowed in flight to each remote system now (adaptive: grows while its latency holds, halves on 429/5xx)',
      labelNames: ['system'],
      registers: [registry],
      collect() {
        for (const l of liveLimits()) this.set({ system: l.system }, l.limit);
      },
    }),
    inFlight: new Gauge({
      name: 'tandem_remote_requests_in_flight',
      help: 'Requests in flight to each remote system now',
      labelNames: ['system'],
      registers: [registry],
      collect() {
        for (const l of liveLimits()) this.set({ system: l.system }, l.inFlight);
      },
    }),
    flowSucceeded(flow: string, at = Date.now()) {
      lastSuccess.set({ flow }, at / 1000);
      lagValues.set(flow, at / 1000);
    },
  };
}
