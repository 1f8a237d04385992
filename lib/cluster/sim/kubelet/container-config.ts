/**
 * What the kubelet reads from the API before it can create a container: env values from
 * ConfigMaps/Secrets (missing → CreateContainerConfigError with the kubelet's message) and the
 * files of ConfigMap/Secret volumes (missing → FailedMount, the pod stays ContainerCreating).
 */
import type { ObjectStore } from "../store/object-store";
import type { Container, Pod } from "../controllers/api-types";

export type EnvResult = { ok: true; env: Record<string, string> } | { ok: false; message: string };

function dataOf(store: ObjectStore, kind: "configmap" | "secret", ns: string, name: string): Record<string, string> | undefined {
  const o = store.get(kind === "configmap" ? "configmaps" : "secrets", ns, name);
  if (!o) return undefined;
  const data = (o.data ?? {}) as Record<string, string>;
  if (kind === "secret") {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(data)) out[k] = Buffer.from(v, "base64").toString("utf8");
    for (const [k, v] of Object.entries((o.stringData ?? {}) as Record<string, string>)) out[k] = v;
    return out;
  }
  return { ...data };
}

/** Resolves a container's environment as kubelet's makeEnvironmentVariables does. */
export function resolveEnv(store: ObjectStore, pod: Pod, c: Container): EnvResult {
  const ns = pod.metadata.namespace;
  const env: Record<string, string> = {};
  for (const src of c.envFrom ?? []) {
    if (src.configMapRef) {
      const d = dataOf(store, "configmap", ns, src.configMapRef.name);
      if (!d) {
        if (src.configMapRef.optional) continue;
        return { ok: false, message: `configmap "${src.configMapRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(d)) env[(src.prefix ?? "") + k] = v;
    }
    if (src.secretRef) {
      const d = dataOf(store, "secret", ns, src.secretRef.name);
      if (!d) {
        if (src.secretRef.optional) continue;
        return { ok: false, message: `secret "${src.secretRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(d)) env[(src.prefix ?? "") + k] = v;
    }
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      env[e.name] = (e.value ?? "").replace(/\$\((\w+)\)/g, (m, k: string) => env[k] ?? m);
      continue;
    }
    const cm = e.valueFrom.configMapKeyRef;
    const sk = e.valueFrom.secretKeyRef;
    if (cm) {
      const d = dataOf(store, "configmap", ns, cm.name);
      if (!d) {
        if (cm.optional) continue;
        return { ok: false, message: `configmap "${cm.name}" not found` };
      }
      if (!(cm.key in d)) {
        if (cm.optional) continue;
        return { ok: false, message: `couldn't find key ${cm.key} in ConfigMap ${ns}/${cm.name}` };
      }
      env[e.name] = d[cm.key]!;
    } else if (sk) {
      const d = dataOf(store, "secret", ns, sk.name);
      if (!d) {
        if (sk.optional) continue;
        return { ok: false, message: `secret "${sk.name}" not found` };
      }
      if (!(sk.key in d)) {
        if (sk.optional) continue;
        return { ok: false, message: `couldn't find key ${sk.key} in Secret ${ns}/${sk.name}` };
      }
      env[e.name] = d[sk.key]!;
    } else if (e.valueFrom.fieldRef) {
      const f = e.valueFrom.fieldRef.fieldPath;
      const v: Record<string, string | undefined> = {
        "metadata.name": pod.metadata.name,
        "metadata.namespace": ns,
        "metadata.uid": pod.metadata.uid,
        "spec.nodeName": pod.spec.nodeName,
        "spec.serviceAccountName": pod.spec.serviceAccountName ?? "default",
        "status.podIP": pod.status?.podIP,
        "status.hostIP": pod.status?.hostIP,
      };
      env[e.name] = v[f] ?? "";
    }
  }
  return { ok: true, env };
}

export type VolumeResult = { ok: true; files: Record<string, string>; volumeFiles: Record<string, Record<string, string>> } | { ok: false; volume: string; message: string };

/** Checks the pod's ConfigMap/Secret volumes and returns their files by volume name. */
export function resolveVolumes(store: ObjectStore, pod: Pod): VolumeResult {
  const ns = pod.metadata.namespace;
  const volumeFiles: Record<string, Record<string, string>> = {};
  for (const v of pod.spec.volumes ?? []) {
    if (v.configMap) {
      const d = dataOf(store, "configmap", ns, v.configMap.name);
      if (!d) {
        if (v.configMap.optional) continue;
        return { ok: false, volume: v.name, message: `configmap "${v.configMap.name}" not found` };
      }
      volumeFiles[v.name] = v.configMap.items ? Object.fromEntries(v.configMap.items.map((i) => [i.path, d[i.key] ?? ""])) : d;
    } else if (v.secret) {
      const d = dataOf(store, "secret", ns, v.secret.secretName);
      if (!d) {
        if (v.secret.optional) continue;
        return { ok: false, volume: v.name, message: `secret "${v.secret.secretName}" not found` };
      }
      volumeFiles[v.name] = v.secret.items ? Object.fromEntries(v.secret.items.map((i) => [i.path, d[i.key] ?? ""])) : d;
    }
  }
  return { ok: true, files: {}, volumeFiles };
}

/** The files a container sees: each mounted ConfigMap/Secret volume's keys under its mountPath. */
export function containerFiles(c: Container, volumeFiles: Record<string, Record<string, string>>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const m of c.volumeMounts ?? []) {
    const vf = volumeFiles[m.name];
    if (!vf) continue;
    if (m.subPath !== undefined && m.subPath !== "") {
      if (m.subPath in vf) files[m.mountPath] = vf[m.subPath]!;
      continue;
    }
    for (const [k, v] of Object.entries(vf)) files[`${m.mountPath.replace(/\/$/, "")}/${k}`] = v;
  }
  return files;
}
