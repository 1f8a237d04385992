/** 0.666 → "67%"; null (nothing to divide by yet) → "—". */
export function formatShare(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 100)}%`;
}
