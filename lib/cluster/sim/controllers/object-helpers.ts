/**
 * Small rules about Kubernetes objects that several controllers and the kubelet share. Each
 * comment gives the rule as the real component applies it.
 */
import type { SimClock } from "../clock";
import type { KubeObject, OwnerReference } from "../store/types";
import type { Pod, PodTemplate, Taint, Toleration } from "./api-types";

/** RFC 3339 without fractions, as metav1.Time serialises. */
export function isoTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function nowIso(clock: SimClock): string {
  return isoTime(clock.now());
}

/** CPU quantity in millicores: "250m" → 250, "2" → 2000, "0.5" → 500. */
export function cpuMillis(q: string | number | undefined): number {
  if (q === undefined || q === "") return 0;
  const s = String(q).trim();
  if (s.endsWith("m")) return Number(s.slice(0, -1)) || 0;
  return Math.round((Number(s) || 0) * 1000);
}

const BIN: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DEC: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3 };

/** Byte quantity: "64Mi", "1G", "128974848", "129e6". */
export function bytesOf(q: string | number | undefined): number {
  if (q === undefined || q === "") return 0;
  const m = /^([0-9.]+(?:e[0-9]+)?)([A-Za-z]*)$/.exec(String(q).trim());
  if (!m) return 0;
  const n = Number(m[1]);
  const unit = m[2] ?? "";
  if (!unit) return n;
  return n * (BIN[unit] ?? DEC[unit] ?? 1);
}

/** The controller owner of an object (ownerReferences[].controller). */
export function controllerOf(o: KubeObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

export function ownerRefTo(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? "",
    uid: owner.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A pod counts as active until it is terminating or has finished (Succeeded/Failed). */
export function isPodActive(p: Pod): boolean {
  return !p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed";
}

export function isPodReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** Available = ready for at least minReadySeconds (measured from the Ready condition's transition). */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: Date): boolean {
  const c = p.status?.conditions?.find((x) => x.type === "Ready");
  if (!c || c.status !== "True") return false;
  if (!minReadySeconds) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
  return now.getTime() - since >= minReadySeconds * 1000;
}

const SAFE = "bcdfghjklmnpqrstvwxz2456789";

/**
 * The pod-template-hash: FNV-32a over the template (plus collisionCount), printed in decimal and
 * mapped through the apimachinery "safe" alphabet, as controller.ComputeHash + rand.SafeEncodeString
 * do. Values look like the real ones ("6bccddcdc8"); the exact hash of a given template differs.
 */
export function templateHash(template: PodTemplate, collisionCount?: number): string {
  let h = 0x811c9dc5;
  const s = JSON.stringify(stableSort(template)) + (collisionCount ? String(collisionCount) : "");
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String(h)
    .split("")
    .map((c) => SAFE[c.charCodeAt(0) % SAFE.length])
    .join("");
}

function stableSort(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stableSort);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = stableSort((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Equality of pod templates, ignoring the pod-template-hash label the controller adds. */
export function sameTemplate(a: PodTemplate, b: PodTemplate): boolean {
  const strip = (t: PodTemplate) => {
    const c = structuredClone(t);
    if (c.metadata?.labels) delete c.metadata.labels["pod-template-hash"];
    return JSON.stringify(stableSort(c));
  };
  return strip(a) === strip(b);
}

/** Does a toleration tolerate a taint (v1helper.ToleratesTaint). Empty key + Exists tolerates all. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (!t.key) return t.operator === "Exists";
  if (t.key !== taint.key) return false;
  if (t.operator === "Exists") return true;
  return (t.value ?? "") === (taint.value ?? "");
}

export function toleratesAll(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => tolerates(t, taint));
}

/** 25% → value of total; integers pass through. Surge rounds up, unavailable rounds down. */
export function intOrPercent(v: number | string | undefined, total: number, roundUp: boolean, dflt: string): number {
  const x = v ?? dflt;
  if (typeof x === "number") return x;
  const m = /^(\d+)%$/.exec(x);
  if (!m) return Number(x) || 0;
  const f = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(f) : Math.floor(f);
}

/** kubectl-style short random hex (container ids, event names). */
export function randomHex(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(Math.random() * 16)];
  return s;
}
