/**
 * @peculiar/x509 loads tsyringe, which refuses to start without a Reflect metadata polyfill.
 * x509 never reads decorator metadata, so the few calls tsyringe makes are enough. Import this
 * module before @peculiar/x509 (the sim's PKI and the scenario SDK's certificate faults do).
 * It only fills in what is missing, so loading it alongside a real polyfill is safe.
 */
type MetaMap = Map<unknown, unknown>;
const store = new WeakMap<object, MetaMap>();

interface ReflectMetadata {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
  hasMetadata?: (key: unknown, target: object) => boolean;
}

const r = Reflect as unknown as ReflectMetadata;
if (!r.getMetadata) {
  r.getMetadata = (key, target) => store.get(target)?.get(key);
  r.getOwnMetadata = (key, target) => store.get(target)?.get(key);
  r.hasMetadata = (key, target) => store.get(target)?.has(key) ?? false;
  r.defineMetadata = (key, value, target) => {
    let m = store.get(target);
    if (!m) store.set(target, (m = new Map()));
    m.set(key, value);
  };
}

export {};
