// Internal (not re-exported): names of the successive stop-loss legs of a plan.

/** `sl` for the first stop, then `sl-2`, `sl-3`, … for each replacement. */
export function stopLegName(generation: number): string {
  return generation <= 1 ? 'sl' : `sl-${generation}`;
}

/** Inverse of {@link stopLegName}: `sl` → 1, `sl-3` → 3; 0 for a leg that is not a stop generation. */
export function stopGeneration(leg: string): number {
  if (leg === 'sl') return 1;
  const m = /^sl-(\d+)$/.exec(leg);
  return m === null ? 0 : Number(m[1]);
}
