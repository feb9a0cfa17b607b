/** What one sync run did, per entity and direction: counts, first examples, and every skip with its reason. */
export type Outcome = 'created' | 'updated' | 'linked' | 'unchanged' | 'skipped' | 'failed';

export interface ReportEntry {
  outcome: Outcome;
  /** Source record id. */
  id: string;
  /** Human key (SKU, email, order number). */
  label?: string;
  targetId?: string;
  reason?: string;
}

const EXAMPLES = 5;

export class RunReport {
  readonly counts: Record<Outcome | 'read', number> = { read: 0, created: 0, updated: 0, linked: 0, unchanged: 0, skipped: 0, failed: 0 };
  readonly examples: Partial<Record<Outcome, ReportEntry[]>> = {};
  /** Every skipped or failed record with its reason (bounded so a huge run cannot exhaust memory). */
  readonly problems: ReportEntry[] = [];
  problemsDropped = 0;
  /** What people should know about the run as a whole, each said once (e.g. fields the target cannot hold). */
  readonly notes: string[] = [];

  constructor(
    readonly entity: string,
    readonly direction: string,
  ) {}

  add(entry: ReportEntry): void {
    this.counts[entry.outcome] += 1;
    const ex = (this.examples[entry.outcome] ??= []);
    if (ex.length < EXAMPLES) ex.push(entry);
    if (entry.outcome === 'skipped' || entry.outcome === 'failed') {
      if (this.problems.length < 10_000) this.problems.push(entry);
      else this.problemsDropped += 1;
    }
  }

  merge(other: RunReport): void {
    for (const k of Object.keys(this.counts) as Array<keyof RunReport['counts']>) this.counts[k] += other.counts[k];
    for (const [k, list] of Object.entries(other.examples) as Array<[Outcome, ReportEntry[]]>) {
      const ex = (this.examples[k] ??= []);
      for (const e of list) if (ex.length < EXAMPLES) ex.push(e);
    }
    for (const p of other.problems) if (this.problems.length < 10_000) this.problems.push(p);
    this.problemsDropped += other.problemsDropped;
    for (const n of other.notes) this.note(n);
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Records with an outcome: a run's summary adds up when this equals `counts.read`. */
  get decided(): number {
    const c = this.counts;
    return c.created + c.updated + c.linked + c.unchanged + c.skipped + c.failed;
  }

  get written(): number {
    return this.counts.created + this.counts.updated;
  }

  toJSON() {
    return { entity: this.entity, direction: this.direction, counts: this.counts, examples: this.examples, problems: this.problems, problemsDropped: this.problemsDropped, ...(this.notes.length > 0 && { notes: this.notes }) };
  }
}
