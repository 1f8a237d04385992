import { X509Certificate } from "node:crypto";
import tls from "node:tls";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import type { V1LabelSelector, V1Pod } from "@kubernetes/client-node";
import YAML from "yaml";
import { z } from "zod";
import type { Check } from "./define-scenario";
import type { CheckResult, ScenarioContext } from "./context";
import { describeApiError, describeKubectlError, isForbidden, isNotFound } from "./describe-api-error";
import { podState } from "./probes";
import type { ExecResult } from "@/lib/cluster/types";
import { askApi } from "./ask-api";
import { staticContainerOnNode } from "./runtime-view";
import { ANSWER_DEADLINE_MS, sleep } from "./wait-for";

/** What a reusable check returns: the `run` of a pack's check. */
export type CheckFn = (ctx: ScenarioContext) => Promise<CheckResult>;

const DAY_MS = 86_400_000;

/** kubectl for a check: bounded like every read (askApi), a give-up reported as kubectl's timeout. */
async function kubectlAnswer(ctx: ScenarioContext, argv: string[], what: string): Promise<ExecResult> {
  try {
    return await askApi(ctx.k8s, ctx.kubectl(argv, { timeoutMs: ANSWER_DEADLINE_MS }), what);
  } catch (err) {
    return { code: 124, stdout: "", stderr: `${err instanceof Error ? err.message : String(err)}\n` };
  }
}

function noAnswer(err: unknown, what: string): CheckResult {
  return {
    ok: false,
    message: `The API server is not answering, so ${what} cannot be confirmed yet.`,
    detail: { actual: describeApiError(err), expected: "the API server answers" },
  };
}

/** "nginx:1.27" and "docker.io/library/nginx:1.27" are the same image. */
export function sameImage(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/^docker\.io\/(library\/)?/, "");
  return norm(a) === norm(b);
}

/**
 * kubectl's complaint about /readyz, in learner-safe words. A failing /readyz comes back as
 * "Error from server (InternalError): … [-]etcd failed …": the reason class is kept, the list of
 * failing checks (which would name the fault) is not.
 */
function readyzError(stderr: string): string {
  const why = describeKubectlError(stderr);
  const reason = /Error from server \((\w+)\)/.exec(stderr)?.[1];
  return reason && why.startsWith("Error from server") ? `the API server answered with an error (${reason})` : why;
}

/**
 * The API server answers /readyz with "ok" to the lab's admin credentials.
 *
 * @example
 * { id: "api-answers", title: "The API server answers", points: 3, run: checks.apiAnswers() }
 */
function apiAnswers(): CheckFn {
  return async (ctx) => {
    const r = await ctx.kubectl(["get", "--raw", "/readyz"], { timeoutMs: ANSWER_DEADLINE_MS });
    if (r.code === 0 && r.stdout.trim() === "ok") return { ok: true, message: "The API server answers and is ready." };
    return {
      ok: false,
      message: "The API server is not answering requests yet.",
      detail: { actual: r.code === 0 ? `/readyz says ${r.stdout.trim().split("\n")[0]}` : readyzError(r.stderr), expected: "/readyz answers ok" },
    };
  };
}

/**
 * Every node of the lab is Ready (and none is missing).
 *
 * @example
 * { id: "nodes-ready", title: "All nodes are Ready", points: 2, run: checks.nodesReady() }
 */
function nodesReady(): CheckFn {
  return async (ctx) => {
    const expected = [ctx.controlPlane, ...ctx.workers];
    let items;
    try {
      items = (await askApi(ctx.k8s, ctx.k8s.core.listNode(), "listing nodes")).items;
    } catch (err) {
      return noAnswer(err, "the nodes' state");
    }
    const missing = expected.filter((name) => !items.some((n) => n.metadata?.name === name));
    const notReady = expected.filter((name) => {
      const node = items.find((n) => n.metadata?.name === name);
      return node && node.status?.conditions?.find((c) => c.type === "Ready")?.status !== "True";
    });
    if (!notReady.length && !missing.length) return { ok: true, message: `All ${expected.length} node(s) are Ready.` };
    const bad = missing.length + notReady.length;
    return {
      ok: false,
      message: missing.length
        ? `${bad} of ${expected.length} node(s) are not registered or not Ready.`
        : `${bad} of ${expected.length} node(s) are not Ready.`,
      detail: {
        actual: [missing.length ? `not registered: ${missing.join(", ")}` : "", notReady.length ? `not Ready: ${notReady.join(", ")}` : ""]
          .filter(Boolean)
          .join("; "),
        expected: `Ready: ${expected.join(", ")}`,
      },
    };
  };
}

/**
 * The label selector of a workload as the API's `labelSelector` query parameter takes it.
 * Undefined when the selector selects nothing the API can express (no selector at all).
 */
export function selectorQuery(sel: V1LabelSelector | undefined): string | undefined {
  if (!sel) return undefined;
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${values})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(",") : undefined;
}

/**
 * The images a pod's containers run right now, from their status (a spec edit changes nothing
 * until the container restarts). A runtime that reports only a digest ("sha256:…") is taken at
 * the spec's word for that container.
 */
function runningImages(pod: V1Pod): string[] {
  return (pod.status?.containerStatuses ?? [])
    .filter((c) => c.state?.running)
    .map((c) => (c.image.startsWith("sha256:") ? (pod.spec?.containers.find((s) => s.name === c.name)?.image ?? c.image) : c.image));
}

/**
 * A Deployment has all its replicas updated and available; with `image`, its template names that
 * image and every running pod of it runs that image (so swapping in some other image that happens
 * to start does not count, in the template or in the pods themselves).
 *
 * @example
 * checks.deploymentAvailable({ namespace: "lab", name: "web", image: "nginx:1.27" })
 */
function deploymentAvailable(opts: { namespace: string; name: string; image?: string; minReplicas?: number }): CheckFn {
  const what = `Deployment ${opts.namespace}/${opts.name}`;
  return async (ctx) => {
    let d;
    try {
      d = await askApi(ctx.k8s, ctx.k8s.apps.readNamespacedDeployment({ name: opts.name, namespace: opts.namespace }), `reading ${what}`);
    } catch (err) {
      if (isNotFound(err))
        return { ok: false, message: `${what} does not exist.`, detail: { actual: "no such Deployment", expected: `${what} with available replicas` } };
      return noAnswer(err, `${what}`);
    }
    const want = Math.max(d.spec?.replicas ?? 1, opts.minReplicas ?? 1);
    const images = (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? "");
    if (opts.image && !images.some((i) => sameImage(i, opts.image!)))
      return {
        ok: false,
        message: `${what} does not run the image it is supposed to run.`,
        detail: { actual: `image ${images.join(", ")}`, expected: `image ${opts.image}` },
      };
    const s = d.status ?? {};
    const available = s.availableReplicas ?? 0;
    const updated = s.updatedReplicas ?? 0;
    const current = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
    if (!(current && available >= want && updated >= want && (s.replicas ?? 0) === updated))
      return {
        ok: false,
        message: `${what} is not fully available.`,
        detail: {
          // Old pods of an unfinished rollout count in replicas but not as up to date: say so,
          // or "1/1 available, 1 up to date" reads like a pass.
          actual: !current
            ? "the Deployment controller has not acted on the latest change yet"
            : `${available}/${want} available, ${updated} up to date, ${s.replicas ?? 0} pod(s) in all`,
          expected: `${want}/${want} available and up to date, no old pods left`,
        },
      };
    if (opts.image) {
      const image = opts.image;
      let pods: V1Pod[];
      try {
        const labelSelector = selectorQuery(d.spec?.selector);
        pods = (await askApi(ctx.k8s, ctx.k8s.core.listNamespacedPod({ namespace: opts.namespace, labelSelector }), `listing the pods of ${what}`)).items;
      } catch (err) {
        return noAnswer(err, `what the pods of ${what} run`);
      }
      const wrong = pods.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase === "Running" && !runningImages(p).some((i) => sameImage(i, image)));
      if (wrong.length)
        return {
          ok: false,
          message: `${what} has pods that do not run the image it is supposed to run.`,
          detail: {
            actual: wrong.map((p) => `pod ${p.metadata?.name} runs ${runningImages(p).join(", ") || "no container"}`).join("; "),
            expected: `every pod runs image ${image}`,
          },
        };
    }
    return { ok: true, message: `${what} has ${available}/${want} replicas available.` };
  };
}

/**
 * Every pod matching the selector is Running with all containers ready and none is terminating
 * (and there is at least one).
 *
 * @example
 * checks.podsHealthy({ namespace: "lab", labelSelector: "app=web" })
 */
function podsHealthy(opts: { namespace: string; labelSelector?: string }): CheckFn {
  const where = `${opts.labelSelector ? `pods with ${opts.labelSelector}` : "pods"} in ${opts.namespace}`;
  return async (ctx) => {
    let pods: V1Pod[];
    try {
      pods = (await askApi(ctx.k8s, ctx.k8s.core.listNamespacedPod({ namespace: opts.namespace, labelSelector: opts.labelSelector }), `listing the ${where}`)).items;
    } catch (err) {
      return noAnswer(err, `the ${where}`);
    }
    if (!pods.length) return { ok: false, message: `There are no ${where}.`, detail: { actual: "0 pods", expected: "at least 1 running pod" } };
    const bad = pods.filter(
      (p) => p.status?.phase !== "Running" || !(p.status.containerStatuses ?? []).every((c) => c.ready) || p.metadata?.deletionTimestamp,
    );
    if (!bad.length) return { ok: true, message: `All ${pods.length} ${where} are running and ready.` };
    return {
      ok: false,
      message: `${bad.length} of ${pods.length} ${where} are not running and ready.`,
      detail: { actual: bad.map((p) => `${p.metadata?.name}: ${podState(p)}`).join("; "), expected: "every pod Running and ready" },
    };
  };
}

/** A timestamp from client-node (a Date, or a string where it did not convert one) in ms; NaN when absent. */
function timeOf(v: Date | string | undefined): number {
  return v === undefined ? NaN : new Date(v).getTime();
}

/**
 * How long every container of a pod has been running, in ms, by the cluster's clock, or
 * undefined when a container does not say when it started. `now` is the cluster's time.
 */
export function runningForMs(pod: V1Pod, now: number): number | undefined {
  const starts = (pod.status?.containerStatuses ?? []).map((c) => timeOf(c.state?.running?.startedAt));
  if (!starts.length || starts.some((t) => Number.isNaN(t))) return undefined;
  return now - Math.max(...starts);
}

/**
 * The cluster's current time as far as a check can tell: the cluster's clock (`ctx.clock`: this
 * machine's, or a time-scaled sim's), or later when the node's kubelet has renewed its lease at a
 * later time (a node whose clock runs ahead of this machine's). Container start times come from
 * the node's clock, so this keeps a container's age from being understated into a false failure.
 */
async function clusterNow(ctx: ScenarioContext, node: string): Promise<number> {
  const now = ctx.clock.now().getTime();
  try {
    const lease = await askApi(ctx.k8s, ctx.k8s.coordination.readNamespacedLease({ name: node, namespace: "kube-node-lease" }), `reading the lease of ${node}`);
    const renewed = timeOf(lease.spec?.renewTime);
    return Number.isNaN(renewed) ? now : Math.max(now, renewed);
  } catch {
    return now;
  }
}

/** One look at a static pod: its containers' start times (ms; NaN when unknown), restarts and ids. */
type StaticPodSample =
  | { ok: true; startedAt: number[]; restarts: number; id: string; via: "api" | "runtime" }
  | { ok: false; result: CheckResult };

/**
 * The static pod as the node's container runtime shows it, for when the API has no mirror pod (a
 * kubelet that cannot get its Node runs the static pods without publishing them). The runtime
 * cannot tell readiness, so a running container counts.
 */
async function sampleRuntime(ctx: ScenarioContext, node: string, component: string): Promise<StaticPodSample> {
  const name = `${component}-${node}`;
  const view = await staticContainerOnNode(ctx, node, component);
  const missing = (actual: string): StaticPodSample => ({
    ok: false,
    result: { ok: false, message: `${component} is not reported as running on ${node}.`, detail: { actual, expected: `pod kube-system/${name} Running` } },
  });
  if (view.kind === "unavailable") return missing(`no pod kube-system/${name}, and crictl on ${node} did not answer: ${view.why}`);
  if (view.kind === "none") return missing(`no pod kube-system/${name}, and no ${component} container on ${node}`);
  if (!view.inspected || view.inspected.state !== "CONTAINER_RUNNING")
    return {
      ok: false,
      result: {
        ok: false,
        message: `${component} on ${node} is not running.`,
        detail: { actual: `no pod kube-system/${name}; the newest ${component} container on ${node} is ${view.row.state} (attempt ${view.row.attempt})`, expected: "a running container" },
      },
    };
  return { ok: true, startedAt: [view.inspected.startedAt], restarts: view.inspected.attempt, id: view.inspected.id, via: "runtime" };
}

/**
 * A static pod runs steadily: its mirror pod is Running and ready, and has not restarted during
 * the last `stableSeconds` (a crash-looping container is briefly "Running" between crashes). The
 * container's start time is the evidence, so a container that has run long enough passes at once
 * and one that started moments ago fails at once ("not running steadily yet"); only a status
 * without start times falls back to sampling twice, `stableSeconds` apart. When the API answers
 * but has no mirror pod (a kubelet without its Node publishes none) or refuses the grader's
 * admin credentials (403: an etcd without kubeadm's RBAC), the container runtime on the node
 * (`crictl ps` and `crictl inspect`) is asked instead.
 *
 * @example
 * checks.staticPodRunning({ component: "kube-apiserver", stableSeconds: 10 })
 */
function staticPodRunning(opts: { component: string; node?: string; stableSeconds?: number }): CheckFn {
  return async (ctx) => {
    const node = opts.node ?? ctx.controlPlane;
    const name = `${opts.component}-${node}`;
    // Why the runtime was asked, for the message: the API has no such pod, or it refused to show it.
    let apiSaid = `the API has no pod kube-system/${name}`;
    const sample = async (): Promise<StaticPodSample> => {
      let pod: V1Pod;
      try {
        pod = await askApi(ctx.k8s, ctx.k8s.core.readNamespacedPod({ name, namespace: "kube-system" }), `reading pod kube-system/${name}`);
      } catch (err) {
        // No mirror pod (a store without the Node), or credentials that RBAC no longer lets read it
        // (a store without kubeadm's kubeadm:cluster-admins binding): the container runtime still
        // tells whether the component runs.
        if (isNotFound(err) || isForbidden(err)) {
          apiSaid = isForbidden(err) ? `the API refused to show pod kube-system/${name} (403)` : `the API has no pod kube-system/${name}`;
          return sampleRuntime(ctx, node, opts.component);
        }
        return { ok: false, result: noAnswer(err, `that ${opts.component} is running`) };
      }
      const cs = pod.status?.containerStatuses ?? [];
      if (pod.status?.phase !== "Running" || !cs.length || !cs.every((c) => c.ready && c.state?.running))
        return {
          ok: false,
          result: {
            ok: false,
            message: `${opts.component} on ${node} is not running and ready.`,
            detail: { actual: podState(pod), expected: "Running and ready" },
          },
        };
      return {
        ok: true,
        startedAt: cs.map((c) => timeOf(c.state?.running?.startedAt)),
        restarts: cs.reduce((n, c) => n + c.restartCount, 0),
        // "containerd://<id>": the runtime's own id, as crictl gives it.
        id: cs.map((c) => (c.containerID ?? "").replace(/^[\w-]+:\/\//, "")).join(","),
        via: "api",
      };
    };
    const steady = (via: "api" | "runtime"): CheckResult => ({
      ok: true,
      message:
        via === "api"
          ? `${opts.component} on ${node} is running steadily.`
          : `${opts.component} on ${node} is running steadily (its container runtime shows it; ${apiSaid}).`,
    });
    const first = await sample();
    if (!first.ok) return first.result;
    const stable = opts.stableSeconds ?? 10;
    if (stable > 0) {
      const known = first.startedAt.length > 0 && first.startedAt.every((t) => !Number.isNaN(t));
      if (known) {
        const ranMs = (await clusterNow(ctx, node)) - Math.max(...first.startedAt);
        if (ranMs < stable * 1000)
          return {
            ok: false,
            message: `${opts.component} on ${node} has not been running steadily for ${stable} s yet.`,
            detail: {
              actual: `running for ${Math.max(0, Math.floor(ranMs / 1000))} s since it last started`,
              expected: `running for at least ${stable} s without a restart`,
            },
          };
        return steady(first.via);
      }
      // Cluster time: a time-scaled sim lives through the window faster.
      await sleep((stable * 1000) / Math.max(1, ctx.clock.timeScale), ctx.signal);
      const second = await sample();
      if (!second.ok) return second.result;
      if (second.restarts !== first.restarts || second.id !== first.id)
        return {
          ok: false,
          message: `${opts.component} on ${node} keeps restarting.`,
          detail: { actual: `restart count went from ${first.restarts} to ${second.restarts} in ${stable} s`, expected: "no restart" },
        };
      return steady(second.via);
    }
    return steady(first.via);
  };
}

function peerCertificate(server: URL, timeoutMs: number, tlsServerName?: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const host = server.hostname.replace(/^\[|\]$/g, "");
    const isIp = /^[\d.]+$/.test(host) || host.includes(":");
    const sock = tls.connect({
      host,
      port: Number(server.port || 443),
      // Read the certificate whatever it is; validity is judged below, against the cluster's CA.
      rejectUnauthorized: false,
      // SNI as kubectl sends it: the kubeconfig's tls-server-name, else the host when it is a name.
      ...(tlsServerName ? { servername: tlsServerName } : isIp ? {} : { servername: host }),
    });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error("TLS handshake timed out"));
    }, timeoutMs);
    sock.once("secureConnect", () => {
      clearTimeout(timer);
      const raw = sock.getPeerCertificate().raw;
      sock.end();
      if (!raw) return reject(new Error("the server sent no certificate"));
      resolve(new X509Certificate(raw));
    });
    sock.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

function clusterCa(kc: KubeConfig): X509Certificate | undefined {
  const c = kc.getCurrentCluster();
  if (c?.caData) return new X509Certificate(Buffer.from(c.caData, "base64"));
  return undefined;
}

/**
 * The certificate the API server serves right now (read over TLS from the address in the lab's
 * kubeconfig, asking by its tls-server-name if it has one) is issued by the cluster's CA, is
 * valid now and stays valid for `days` more days.
 *
 * @example
 * checks.servedCertValidFor({ days: 30 })
 */
function servedCertValidFor(opts: { days: number }): CheckFn {
  return async (ctx) => {
    const lab = ctx.k8s.kubeConfig.getCurrentCluster();
    const server = lab?.server;
    if (!server) return { ok: false, message: "The lab's kubeconfig names no API server.", detail: { actual: "no server", expected: "a server URL" } };
    let cert: X509Certificate;
    try {
      cert = await peerCertificate(new URL(server), ANSWER_DEADLINE_MS, lab?.tlsServerName);
    } catch (err) {
      return {
        ok: false,
        message: "The API server does not complete a TLS handshake yet.",
        detail: { actual: describeApiError(err), expected: "a TLS handshake with a valid certificate" },
      };
    }
    const ca = clusterCa(ctx.k8s.kubeConfig);
    if (ca && !(cert.checkIssued(ca) && cert.verify(ca.publicKey)))
      return {
        ok: false,
        message: "The API server presents a certificate that the cluster's CA did not issue.",
        detail: { actual: `issuer ${cert.issuer.replace(/\n/g, ", ")}`, expected: `issuer ${ca.subject.replace(/\n/g, ", ")}` },
      };
    const now = Date.now();
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    const need = now + opts.days * DAY_MS;
    if (from <= now && to >= need)
      return { ok: true, message: `The API server's certificate is valid until ${new Date(to).toISOString().slice(0, 10)}.` };
    return {
      ok: false,
      message: "The certificate the API server presents is not valid for long enough.",
      detail: {
        actual: `valid ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`,
        expected: `valid now and for at least ${opts.days} more days`,
      },
    };
  };
}

/**
 * A DaemonSet runs a ready, up-to-date pod on every node of the lab (a DaemonSet that is
 * scheduled on no node at all is not "ready").
 *
 * @example
 * checks.daemonSetReady({ namespace: "kube-system", name: "kindnet" })
 */
function daemonSetReady(opts: { namespace: string; name: string; onEveryNode?: boolean }): CheckFn {
  const what = `DaemonSet ${opts.namespace}/${opts.name}`;
  return async (ctx) => {
    let ds;
    try {
      ds = await askApi(ctx.k8s, ctx.k8s.apps.readNamespacedDaemonSet({ name: opts.name, namespace: opts.namespace }), `reading ${what}`);
    } catch (err) {
      if (isNotFound(err)) return { ok: false, message: `${what} does not exist.`, detail: { actual: "missing", expected: `${what} present` } };
      return noAnswer(err, `${what}`);
    }
    const s = ds.status;
    const nodes = 1 + ctx.workers.length;
    const desired = s?.desiredNumberScheduled ?? 0;
    const min = opts.onEveryNode === false ? 1 : nodes;
    const current = (s?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0);
    const ready = s?.numberReady ?? 0;
    const updated = s?.updatedNumberScheduled ?? 0;
    if (current && desired >= min && ready >= desired && updated >= desired)
      return { ok: true, message: `${what} has ${ready}/${desired} pods ready.` };
    return {
      ok: false,
      message: `${what} is not running a ready pod on ${opts.onEveryNode === false ? "its nodes" : "every node"}.`,
      detail: { actual: `desired ${desired}, ready ${ready}, up to date ${updated}`, expected: `desired ≥ ${min}, all ready and up to date` },
    };
  };
}

/**
 * An object exists (and, with `data`, a ConfigMap or Secret holds those keys and values).
 * Used for sentinels: an object created at setup that a correct fix must not lose.
 *
 * @example
 * checks.objectExists({ kind: "configmap", namespace: "lab", name: "sentinel", data: { created: "at-setup" } })
 */
function objectExists(opts: { kind: string; namespace?: string; name: string; data?: Record<string, string> }): CheckFn {
  const what = `${opts.kind} ${opts.namespace ? `${opts.namespace}/` : ""}${opts.name}`;
  return async (ctx) => {
    const ns = opts.namespace ? ["-n", opts.namespace] : [];
    const r = await kubectlAnswer(ctx, [...ns, "get", opts.kind, opts.name, "-o", "json"], `reading ${what}`);
    if (r.code !== 0) {
      const why = describeKubectlError(r.stderr);
      if (why === "not found")
        return { ok: false, message: `Something that existed before the problem started is gone: ${what}.`, detail: { actual: `${what} not found`, expected: `${what} exists` } };
      return { ok: false, message: `The API server is not answering, so ${what} cannot be confirmed yet.`, detail: { actual: why, expected: `${what} exists` } };
    }
    if (opts.data) {
      const parsed = z.object({ data: z.record(z.string(), z.string()).optional() }).safeParse(JSON.parse(r.stdout));
      const got = parsed.success ? (parsed.data.data ?? {}) : {};
      const wrong = Object.entries(opts.data).filter(([k, v]) => got[k] !== v);
      if (wrong.length)
        return {
          ok: false,
          message: `${what} exists but no longer holds what it held before.`,
          detail: { actual: wrong.map(([k]) => `${k}=${got[k] ?? "(missing)"}`).join(", "), expected: wrong.map(([k, v]) => `${k}=${v}`).join(", ") },
        };
    }
    return { ok: true, message: `${what} is still there.` };
  };
}

function sameCert(base64Pem: string, ca: X509Certificate): boolean {
  try {
    return new X509Certificate(Buffer.from(base64Pem, "base64")).fingerprint256 === ca.fingerprint256;
  } catch {
    return false;
  }
}

const kubeconfigSchema = z.object({
  clusters: z.array(z.object({ cluster: z.object({ "insecure-skip-tls-verify": z.boolean().optional(), "certificate-authority-data": z.string().optional() }).loose() })).default([]),
  users: z.array(z.object({ user: z.object({ "client-certificate-data": z.string().optional(), "client-key-data": z.string().optional() }).loose() })).default([]),
});

/**
 * A kubeconfig file on a node (admin.conf) is usable as an admin would use it: it verifies the
 * API server against the cluster's CA (no insecure-skip-tls-verify), and its client certificate
 * is valid for `validDays` more days and is accepted by the API server. The request is made with
 * the file's credentials but the lab's own server address, CA and tls-server-name, so editing the
 * file's cluster section cannot make this pass. With `user`, the certificate must also name that
 * user (its CN), so another component's or the admin's credentials copied in do not count.
 *
 * @example
 * checks.kubeconfigFileWorks({ path: "/etc/kubernetes/admin.conf", validDays: 30 })
 * checks.kubeconfigFileWorks({ path: "/etc/kubernetes/scheduler.conf", validDays: 30, user: "system:kube-scheduler" })
 */
function kubeconfigFileWorks(opts: { path: string; node?: string; validDays: number; user?: string }): CheckFn {
  return async (ctx) => {
    const node = opts.node ?? ctx.controlPlane;
    let text: string;
    try {
      text = await ctx.node(node).readFile(opts.path);
    } catch {
      return { ok: false, message: `${opts.path} cannot be read on ${node}.`, detail: { actual: "unreadable or missing", expected: "a kubeconfig file" } };
    }
    let doc: unknown;
    try {
      doc = YAML.parse(text);
    } catch {
      doc = undefined;
    }
    const parsed = kubeconfigSchema.safeParse(doc);
    if (!parsed.success)
      return { ok: false, message: `${opts.path} is not a valid kubeconfig.`, detail: { actual: "unparsable", expected: "a kubeconfig file" } };
    const cluster = parsed.data.clusters[0]?.cluster;
    const user = parsed.data.users[0]?.user;
    if (cluster?.["insecure-skip-tls-verify"])
      return {
        ok: false,
        message: `${opts.path} no longer checks who the API server is.`,
        detail: { actual: "insecure-skip-tls-verify: true", expected: "the API server verified against the cluster CA" },
      };
    const ca = clusterCa(ctx.k8s.kubeConfig);
    const fileCa = cluster?.["certificate-authority-data"];
    if (ca && fileCa && !sameCert(fileCa, ca))
      return { ok: false, message: `${opts.path} trusts a different CA than the cluster's.`, detail: { actual: "another CA", expected: "the cluster CA" } };
    const certData = user?.["client-certificate-data"];
    const keyData = user?.["client-key-data"];
    if (!certData || !keyData)
      return { ok: false, message: `${opts.path} holds no client certificate and key.`, detail: { actual: "none", expected: "embedded client certificate and key" } };
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(Buffer.from(certData, "base64"));
    } catch {
      return {
        ok: false,
        message: `${opts.path} holds no client certificate and key.`,
        detail: { actual: "client-certificate-data is not a certificate", expected: "embedded client certificate and key" },
      };
    }
    const cn = /^CN=(.*)$/m.exec(cert.subject)?.[1];
    if (opts.user && cn !== opts.user)
      return {
        ok: false,
        message: `${opts.path} does not hold the credentials of ${opts.user}.`,
        detail: { actual: `a client certificate for ${cn ?? "no user"}`, expected: `a client certificate for ${opts.user}` },
      };
    const to = Date.parse(cert.validTo);
    if (Date.parse(cert.validFrom) > Date.now() || to < Date.now() + opts.validDays * DAY_MS)
      return {
        ok: false,
        message: `The client certificate in ${opts.path} is not valid for long enough.`,
        detail: { actual: `valid ${cert.validFrom} to ${cert.validTo}`, expected: `valid now and for at least ${opts.validDays} more days` },
      };
    const server = ctx.k8s.kubeConfig.getCurrentCluster();
    if (!server) return { ok: false, message: "The lab has no API server address.", detail: { actual: "none", expected: "a server" } };
    const kc = new KubeConfig();
    kc.loadFromOptions({
      // The lab's tls-server-name too: behind NAT or a port forward the served certificate names
      // the cluster's host, not the address dialled, and without it a correct file fails TLS.
      clusters: [{ name: "lab", server: server.server, caData: server.caData, skipTLSVerify: false, tlsServerName: server.tlsServerName }],
      users: [{ name: "file", certData, keyData }],
      contexts: [{ name: "lab", cluster: "lab", user: "file" }],
      currentContext: "lab",
    });
    try {
      await askApi(ctx.k8s, kc.makeApiClient(CoreV1Api).listNode({ limit: 1 }), "listing nodes with the file's credentials");
    } catch (err) {
      return { ok: false, message: `The API server does not accept the credentials in ${opts.path}.`, detail: { actual: describeApiError(err), expected: `the node list, as ${opts.user ?? "cluster admin"}` } };
    }
    return { ok: true, message: `${opts.path} works and its certificate is valid until ${new Date(to).toISOString().slice(0, 10)}.` };
  };
}

/**
 * A new pod with `image` starts and gets an IP on every node of the lab. A node that cannot take
 * one (NotReady, not-ready taint, cordoned) and a pod that cannot start (pull error, sandbox or
 * network error, FailedScheduling) fail at once; `timeoutMs` bounds only a pod that shows neither
 * progress nor a reason.
 *
 * @example
 * checks.newPodsRunOnEveryNode({ image: "nginx:1.27" })
 */
function newPodsRunOnEveryNode(opts: { image: string; timeoutMs?: number }): CheckFn {
  return async (ctx) => {
    const nodes = [ctx.controlPlane, ...ctx.workers];
    const results = await Promise.all(nodes.map((node) => ctx.probe.podRuns({ node, image: opts.image, timeoutMs: opts.timeoutMs ?? 45_000 })));
    const bad = results.map((r, i) => ({ r, node: nodes[i]! })).filter((x) => !x.r.ok);
    if (!bad.length) return { ok: true, message: `New pods start and get an IP on all ${nodes.length} node(s).` };
    return {
      ok: false,
      message: `New pods do not start on ${bad.length} of ${nodes.length} node(s).`,
      detail: { actual: bad.map((b) => `${b.node}: ${b.r.detail}`).join("; "), expected: "a new pod runs with an IP on every node" },
    };
  };
}

/**
 * A new pod that nobody binds by hand is placed on a node by the scheduler and runs there (any
 * node, the control plane included). A scheduler that reports the pod unschedulable fails at once;
 * one that says nothing (not running, not leading) fails when `timeoutMs` runs out.
 *
 * @example
 * checks.newPodGetsScheduled({ image: "nginx:1.27" })
 */
function newPodGetsScheduled(opts: { image: string; timeoutMs?: number }): CheckFn {
  return async (ctx) => {
    const r = await ctx.probe.podRuns({ image: opts.image, timeoutMs: opts.timeoutMs ?? 30_000 });
    if (r.ok) return { ok: true, message: "A new pod is placed on a node and runs." };
    return { ok: false, message: "A new pod is not placed on a node and started.", detail: { actual: r.detail, expected: "a new pod scheduled and running" } };
  };
}

/** How long leaderLeaseRenewed waits for a second look: a leader renews every 2 s (--leader-elect-retry-period). */
const LEASE_RELOOK_MS = 5000;

/**
 * The leader-election Lease `kube-system/<name>` (kube-scheduler, kube-controller-manager) is held
 * and renewed: renewed within its lease duration by the cluster's clock (or, when the holder's
 * clock and this one disagree, renewed again between two looks), by a holder that has kept it for
 * at least `heldSeconds` by its own timestamps (a component that takes the lease and then crashes
 * renews it only for a moment per start, with a new holder each time).
 *
 * @example
 * checks.leaderLeaseRenewed({ name: "kube-scheduler", heldSeconds: 15 })
 */
function leaderLeaseRenewed(opts: { name: string; heldSeconds?: number }): CheckFn {
  const what = `the leader lease kube-system/${opts.name}`;
  const What = `${what[0]!.toUpperCase()}${what.slice(1)}`;
  const held = opts.heldSeconds ?? 15;
  return async (ctx) => {
    const read = () => askApi(ctx.k8s, ctx.k8s.coordination.readNamespacedLease({ name: opts.name, namespace: "kube-system" }), `reading ${what}`);
    let lease;
    try {
      lease = await read();
    } catch (err) {
      if (isNotFound(err)) return { ok: false, message: `Nobody holds ${what}.`, detail: { actual: "no such Lease", expected: `${what} held and renewed` } };
      return noAnswer(err, `${what} is renewed`);
    }
    const now = ctx.clock.now().getTime();
    const holder = lease.spec?.holderIdentity;
    let renewed = timeOf(lease.spec?.renewTime);
    const acquired = timeOf(lease.spec?.acquireTime);
    const duration = Math.max(lease.spec?.leaseDurationSeconds ?? 15, 1);
    let fresh = !!holder && !Number.isNaN(renewed) && now - renewed <= duration * 1000;
    if (!fresh && holder && !Number.isNaN(renewed)) {
      await sleep(LEASE_RELOOK_MS / Math.max(1, ctx.clock.timeScale), ctx.signal);
      let second;
      try {
        second = await read();
      } catch (err) {
        return noAnswer(err, `${what} is renewed`);
      }
      const again = timeOf(second.spec?.renewTime);
      if (second.spec?.holderIdentity === holder && again > renewed) {
        fresh = true;
        renewed = again;
      }
    }
    if (!fresh)
      return {
        ok: false,
        message: `${What} is not being renewed.`,
        detail: {
          actual: !holder || Number.isNaN(renewed) ? "never renewed" : `last renewed by ${holder} ${Math.max(0, Math.round((now - renewed) / 1000))} s ago`,
          expected: `renewed within the last ${duration} s`,
        },
      };
    // Both times come from the holder's clock, so a skewed node clock does not matter here.
    if (!Number.isNaN(acquired) && renewed - acquired < held * 1000)
      return {
        ok: false,
        message: `${What} has not been held steadily yet.`,
        detail: { actual: `held by its current holder for ${Math.max(0, Math.round((renewed - acquired) / 1000))} s`, expected: `held by one holder for at least ${held} s` },
      };
    return { ok: true, message: `${What} is held and renewed.` };
  };
}

/**
 * Every pod matching the selector (at least one, none terminating) is Running and ready, and each
 * of its containers has been running for at least `seconds` by the cluster's clock. A
 * crash-looping container, or one its liveness probe keeps restarting, is "Running" between
 * restarts; its start time gives it away. Pair it with checks.stays to see it keep running.
 *
 * @example
 * checks.podsSteady({ namespace: "shop", labelSelector: "app=web", seconds: 30 })
 */
function podsSteady(opts: { namespace: string; labelSelector?: string; seconds: number }): CheckFn {
  const where = `${opts.labelSelector ? `pods with ${opts.labelSelector}` : "pods"} in ${opts.namespace}`;
  return async (ctx) => {
    let pods: V1Pod[];
    try {
      pods = (await askApi(ctx.k8s, ctx.k8s.core.listNamespacedPod({ namespace: opts.namespace, labelSelector: opts.labelSelector }), `listing the ${where}`)).items;
    } catch (err) {
      return noAnswer(err, `the ${where}`);
    }
    pods = pods.filter((p) => !p.metadata?.deletionTimestamp);
    if (!pods.length) return { ok: false, message: `There are no ${where}.`, detail: { actual: "0 pods", expected: "at least 1 running pod" } };
    const bad: string[] = [];
    for (const p of pods) {
      const cs = p.status?.containerStatuses ?? [];
      const restarts = cs.reduce((n, c) => n + c.restartCount, 0);
      if (p.status?.phase !== "Running" || !cs.length || !cs.every((c) => c.ready && c.state?.running)) {
        bad.push(`${p.metadata?.name}: ${podState(p)}${cs.every((c) => c.state?.running) ? ", not ready" : ""}, ${restarts} restart(s)`);
        continue;
      }
      const ran = runningForMs(p, await clusterNow(ctx, p.spec?.nodeName ?? ctx.controlPlane));
      if (ran !== undefined && ran < opts.seconds * 1000)
        bad.push(`${p.metadata?.name}: running for ${Math.max(0, Math.floor(ran / 1000))} s since it last started, ${restarts} restart(s)`);
    }
    if (!bad.length) return { ok: true, message: `All ${pods.length} ${where} have been running and ready for ${opts.seconds} s or more.` };
    return {
      ok: false,
      message: `${bad.length} of ${pods.length} ${where} are not running steadily.`,
      detail: { actual: bad.join("; "), expected: `every pod Running and ready, and running for at least ${opts.seconds} s without a restart` },
    };
  };
}

/**
 * The check must keep passing for `seconds` (grading re-runs it over that window).
 *
 * @example
 * checks.stays({ id: "etcd-steady", title: "etcd runs", points: 3, run: checks.staticPodRunning({ component: "etcd" }) }, 20)
 */
function stays(check: Check, seconds: number): Check {
  return { ...check, holdSeconds: seconds };
}

/**
 * Waits until a check passes (for setup and solve). When it gives up, the error quotes the
 * check's last message and its actual-versus-expected detail.
 *
 * @example
 * await checks.until(ctx, checks.deploymentAvailable({ namespace: "shop", name: "web" }), {
 *   timeoutMs: 180_000, what: "Deployment shop/web to be available" });
 */
async function until(ctx: ScenarioContext, run: CheckFn, opts: { timeoutMs: number; what: string; intervalMs?: number }): Promise<void> {
  await ctx.waitFor(
    async () => {
      const r = await run(ctx);
      if (!r.ok) throw new Error(`${r.message}${r.detail ? ` (${r.detail.actual}; expected ${r.detail.expected})` : ""}`);
      return true;
    },
    { intervalMs: 2000, ...opts },
  );
}

/** Passes when every one of the checks passes; reports the first that does not. */
function allOf(...runs: CheckFn[]): CheckFn {
  return async (ctx) => {
    for (const run of runs) {
      const r = await run(ctx);
      if (!r.ok) return r;
    }
    return { ok: true, message: "All passed." };
  };
}

/** The reusable checks, as one explicit record. */
export const checks = {
  apiAnswers,
  nodesReady,
  deploymentAvailable,
  podsHealthy,
  podsSteady,
  staticPodRunning,
  servedCertValidFor,
  daemonSetReady,
  objectExists,
  kubeconfigFileWorks,
  newPodsRunOnEveryNode,
  newPodGetsScheduled,
  leaderLeaseRenewed,
  stays,
  until,
  allOf,
};
