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

/**
 * go-yaml's words for the errors a mis-indented manifest most often has, from the JS parser's
 * error: a plain scalar that runs on into a `key:` line ("mapping values are not allowed in this
 * context", on the line of the colon), and a key line without its colon at a mapping's own
 * indentation ("could not find expected ':'", reported on the line after it). go-yaml numbers
 * scanner errors from 1 at the problem's line. Other errors keep the JS parser's wording.
 */
function goYamlError(err: unknown, text: string): string {
  const e = err as { message?: string; code?: string; linePos?: Array<{ line: number; col: number }> };
  const msg = e.message ?? String(err);
  const [start, end] = e.linePos ?? [];
  if (e.code === "MULTILINE_IMPLICIT_KEY" && start) {
    const line = text.split("\n")[start.line - 1] ?? "";
    const before = line.slice(0, start.col - 1);
    // After a "- " indicator the scalar is a sequence item, not a key the mapping waits for.
    if (/^\s*(- +)+$/.test(before) && end) return `yaml: line ${end.line}: mapping values are not allowed in this context`;
    return `yaml: line ${start.line + 1}: could not find expected ':'`;
  }
  const m = /at line (\d+)/.exec(msg);
  return `yaml: line ${m?.[1] ?? "1"}: ${msg.split(" at line")[0]!.toLowerCase()}`;
}

/**
 * Parses one manifest. `error` is what the kubelet's extractFromFile returns: the file's name and
 * "couldn't parse as pod(…)" for a file that does not decode, the bare validation error for a
 * pod that does not validate.
 */
export function parseStaticPodFile(file: string, text: string, nodeName: string): StaticPodParse {
  const bad = (why: string) => ({ ok: false as const, error: `${file}: couldn't parse as pod(${why}), please check config file` });
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    return bad(goYamlError(err, text));
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
