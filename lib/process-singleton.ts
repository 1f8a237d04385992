/**
 * One instance per process, shared between server.ts (loaded by tsx) and Next's route
 * handlers (loaded from Next's own bundle). Those are two module graphs in one process, so a
 * plain module-level variable would give each its own copy; globalThis is the one place both see.
 */
export function processSingleton<T>(key: string, create: () => T): T {
  const sym = Symbol.for(`breakfix.${key}`);
  const g = globalThis as Record<symbol, unknown>;
  if (!(sym in g)) g[sym] = create();
  return g[sym] as T;
}
