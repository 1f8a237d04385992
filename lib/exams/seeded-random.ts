import { createHash } from "node:crypto";

/**
 * A deterministic random source for a seed string (mulberry32 over a sha256 of the seed), so an
 * attempt's draw can be replayed, and a class given one fixed seed gets one paper. Not for secrets.
 */
export function seededRandom(seed: string): { next(): number; int(n: number): number } {
  let a = createHash("sha256").update(seed).digest().readUInt32LE(0);
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}
