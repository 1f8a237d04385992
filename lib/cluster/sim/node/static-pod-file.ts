import { createHash } from "node:crypto";
import { parse } from "yaml";
import { z } from "zod";
import type { ContainerSpec, HostPathVolume } from "./components/component-context";
import type { KubeObject } from "@/lib/cluster/sim/store/types";

/**
 * One file of /etc/kubernetes/manifests as the kubelet's file source reads it: names starting
 * with "." are skipped, anything else (etcd.yaml.bak included) is a pod. Parse failures carry the
 * kubelet's own words.
 */

const containerSchema = z
  .object({
    name: z.string(),
    image: z.string().default(""),
    command: z.array(z.string()).default([]),
    args: z.array(z.string()).default([]),
    volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string(), readOnly: z.boolean().optional() }).loose()).default([]),
  })
  .loose();

const podSchema = z
  .object({
    apiVersion: z.string(),
    kind: z.literal("Pod"),
    metadata: z.object({ name: z.string().min(1), namespace: z.string().optional() }).loose(),
    spec: z
      .object({
        containers: z.array(containerSchema).min(1),
        volumes: z.array(z.object({ name: z.string(), hostPath: z.object({ path: z.string(), type: z.string().optional() }).optional() }).loose()).default([]),
      })
      .loose(),
  })
  .loose();

export interface StaticPodFile {
  /** Node path of the file. */
  file: string;
  /** The pod as written, with the kubelet's defaults: namespace "default" if unset. */
  pod: KubeObject;
  /** `<metadata.name>-<node>`: the mirror pod's name. */
  podName: string;
  namespace: string;
  /** Stable per (file, content, node) like the kubelet's hash-based static-pod UIDs. */
  uid: string;
  containers: ContainerSpec[];
  volumes: HostPathVolume[];
  /** The `component` label (etcd, kube-apiserver, …), when it has one. */
  component: string | null;
}

export type StaticPodParse = { ok: true; value: StaticPodFile } | { ok: false; error: string };

/** Files the kubelet's file source ignores. */
export function ignoredManifestName(base: string): boolean {
  return base.startsWith(".");
}

export function parseStaticPodFile(file: string, text: string, nodeName: string): StaticPodParse {
  const bad = (why: string) => ({ ok: false as const, error: `can't process config file "${file}": ${file}: couldn't parse as pod(${why}), please check config file` });
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    const m = /at line (\d+)/.exec((err as Error).message);
    return bad(`yaml: line ${m?.[1] ?? "1"}: ${(err as Error).message.split(" at line")[0]!.toLowerCase()}`);
  }
  if (raw === null || raw === undefined || typeof raw !== "object") return bad("Object 'Kind' is missing in 'null'");
  const obj = raw as Record<string, unknown>;
  if (!obj.kind) return bad(`Object 'Kind' is missing in '${JSON.stringify(raw)}'`);
  const r = podSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { ok: false, error: `invalid pod: [${i.path.join(".")}: ${i.message}]` };
  }
  const pod = r.data as unknown as KubeObject & { spec: { containers: ContainerSpec[]; volumes: HostPathVolume[] } };
  const namespace = r.data.metadata.namespace ?? "default";
  const uid = createHash("md5").update(`${nodeName}\n${file}\n${text}`).digest("hex");
  const labels = (r.data.metadata as { labels?: Record<string, string> }).labels;
  return {
    ok: true,
    value: {
      file,
      pod,
      podName: `${r.data.metadata.name}-${nodeName}`,
      namespace,
      uid: `${uid.slice(0, 8)}-${uid.slice(8, 12)}-${uid.slice(12, 16)}-${uid.slice(16, 20)}-${uid.slice(20, 32)}`,
      containers: r.data.spec.containers.map((c) => ({ name: c.name, image: c.image, command: c.command, args: c.args, volumeMounts: c.volumeMounts })),
      volumes: r.data.spec.volumes,
      component: labels?.component ?? null,
    },
  };
}
