/** A bar chart of 24 hourly values as inline SVG (no chart library: 24 rectangles and a label). */
export function Bars({ title, values, hours, tone = 'blue' }: { title: string; values: number[]; hours: string[]; tone?: 'blue' | 'red' | 'green' }) {
  const max = Math.max(1, ...values);
  const w = 240;
  const h = 60;
  const bw = w / values.length;
  const total = values.reduce((a, b) => a + b, 0);
  return (
    <figure class="chart">
      <figcaption>
        {title} <span class="muted">({total} in 24 h)</span>
      </figcaption>
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${title}: ${total} in the last 24 hours, at most ${max} in one hour`} preserveAspectRatio="none">
        <line x1="0" y1={h - 0.5} x2={w} y2={h - 0.5} class="axis" />
        {values.map((v, i) => {
          const bh = (v / max) * (h - 4);
          return (
            <rect key={i} class={`bar ${tone}`} x={i * bw + 1} y={h - bh} width={Math.max(1, bw - 2)} height={bh}>
              <title>{`${new Date(hours[i] ?? '').toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}: ${v}`}</title>
            </rect>
          );
        })}
      </svg>
    </figure>
  );
}
