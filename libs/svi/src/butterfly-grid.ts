/**
 * The k-grid on which a slice is checked for butterfly arbitrage: the quoted range plus a
 * margin of half its width (at least 0.25) on each side, 201 points (QUANT.md b2: "dense grid
 * that covers at least the listed strikes, with margin"; TS1 uses 101 over an extended range).
 */
export function butterflyGrid({ kMin, kMax, n = 201 }: { kMin: number; kMax: number; n?: number }): {
  kMin: number;
  kMax: number;
  n: number;
} {
  const margin = Math.max(0.5 * (kMax - kMin), 0.25);
  return { kMin: kMin - margin, kMax: kMax + margin, n };
}
