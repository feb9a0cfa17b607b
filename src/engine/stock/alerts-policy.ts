/**
 * Low-stock alerts fire once per downward crossing of the threshold; the alert re-arms only when the
 * available quantity climbs above threshold + hysteresis (pure decision; state is stored by the caller).
 */
export interface AlertState {
  armed: boolean;
}

export interface AlertDecision {
  fire: boolean;
  armed: boolean;
}

export function decideAlert(prev: AlertState | undefined, available: number, threshold: number, hysteresis: number): AlertDecision {
  const armed = prev?.armed ?? true;
  if (armed && available <= threshold) return { fire: true, armed: false };
  if (!armed && available > threshold + hysteresis) return { fire: false, armed: true };
  return { fire: false, armed };
}
