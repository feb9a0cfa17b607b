/** Token bucket: `perSecond` sustained, `burst` at once. `take()` waits until a token is free. */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly burst: number;

  constructor(
    private readonly perSecond: number,
    burst?: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.burst = Math.max(1, burst ?? Math.ceil(perSecond));
    this.tokens = this.burst;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }

  /** Milliseconds until a token is available (0 = now). */
  waitTime(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.perSecond) * 1000;
  }

  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.waitTime();
      if (wait === 0) {
        this.tokens -= 1;
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, Math.ceil(wait));
        signal?.addEventListener('abort', () => {
          clearTimeout(t);
          reject(signal.reason as Error);
        }, { once: true });
      });
    }
  }
}
