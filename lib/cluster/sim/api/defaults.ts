import type { ObjectStore } from "../store/object-store";
import { randomSuffix } from "../store/object-store";
import type { KubeObject } from "../store/types";
import { CSR_KEY, prepareCsrForUpdate } from "./certificates/csr-strategy";

/**
 * What the real apiserver adds on create: API defaulting (pkg/apis/<group>/v1/defaults.go), the
 * admission plugins every kubeadm cluster runs (ServiceAccount, DefaultTolerationSeconds), and
 * allocation (Service ClusterIP/NodePort). `kubectl get -o yaml` and `describe` show these
 * fields, so a learner comparing with a real cluster sees the same object.
 */

type J = Record<string, unknown>;

function o(v: unknown): J {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {};
}
function list(v: unknown): J[] {
  return Array.isArray(v) ? (v as unknown[]).map(o) : [];
}
function setDefault(target: J, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

function imagePullPolicy(image: string): string {
  const last = image.split("/").pop() ?? image;
  if (last.includes("@")) return "IfNotPresent";
  const tag = last.includes(":") ? last.split(":").pop() : undefined;
  return !tag || tag === "latest" ? "Always" : "IfNotPresent";
}

function defaultContainer(c: J): void {
  setDefault(c, "terminationMessagePath", "/dev/termination-log");
  setDefault(c, "terminationMessagePolicy", "File");
  setDefault(c, "imagePullPolicy", imagePullPolicy(String(c.image ?? "")));
  setDefault(c, "resources", {});
  for (const p of list(c.ports)) setDefault(p, "protocol", "TCP");
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (!probe || typeof probe !== "object") continue;
    const pr = o(probe);
    setDefault(pr, "timeoutSeconds", 1);
    setDefault(pr, "periodSeconds", 10);
    setDefault(pr, "successThreshold", 1);
    setDefault(pr, "failureThreshold", 3);
    if (pr.httpGet) setDefault(o(pr.httpGet), "scheme", "HTTP");
  }
  for (const e of list(c.env)) {
    const fr = o(o(e.valueFrom).fieldRef);
    if (Object.keys(fr).length) setDefault(fr, "apiVersion", "v1");
  }
}

/** Pod spec defaulting shared by pods and pod templates. */
function defaultPodSpec(spec: J): void {
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) defaultContainer(c);
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "securityContext", {});
  setDefault(spec, "schedulerName", "default-scheduler");
  for (const v of list(spec.volumes)) {
    if (v.configMap) setDefault(o(v.configMap), "defaultMode", 420);
    if (v.secret) setDefault(o(v.secret), "defaultMode", 420);
    if (v.hostPath) setDefault(o(v.hostPath), "type", "");
    if (v.emptyDir === null) v.emptyDir = {};
  }
}

/** The pod's QoS class from its containers' requests and limits. */
export function qosClass(spec: J): string {
  const cs = list(spec.containers);
  let anyReq = false;
  let allGuaranteed = cs.length > 0;
  for (const c of cs) {
    const r = o(c.resources);
    const req = o(r.requests);
    const lim = o(r.limits);
    if (Object.keys(req).length || Object.keys(lim).length) anyReq = true;
    for (const res of ["cpu", "memory"]) {
      const l = lim[res];
      const q = req[res] ?? l;
      if (l === undefined || String(q) !== String(l)) allGuaranteed = false;
    }
  }
  if (allGuaranteed) return "Guaranteed";
  return anyReq ? "Burstable" : "BestEffort";
}

/** SetDefaults_Pod: each resource with a limit and no request gets the limit as its request. */
export function defaultRequestsFromLimits(spec: J): void {
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    const r = o(c.resources);
    const limits = o(r.limits);
    if (!Object.keys(limits).length) continue;
    const requests = { ...o(r.requests) };
    for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
    r.requests = requests;
  }
}

function defaultPod(pod: KubeObject): void {
  const spec = o((pod.spec ??= {}));
  defaultRequestsFromLimits(spec);
  defaultPodSpec(spec);
  setDefault(spec, "serviceAccountName", "default");
  spec.serviceAccount = spec.serviceAccountName;
  setDefault(spec, "enableServiceLinks", true);
  setDefault(spec, "preemptionPolicy", "PreemptLowerPriority");
  setDefault(spec, "priority", 0);
  // DefaultTolerationSeconds admission.
  const tol = list(spec.tolerations);
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    if (!tol.some((t) => t.key === key || (t.operator === "Exists" && !t.key))) {
      tol.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tol;
  // ServiceAccount admission: the projected token volume every pod gets.
  const mountToken = spec.automountServiceAccountToken !== false && !pod.metadata.annotations?.["kubernetes.io/config.mirror"];
  if (mountToken && !list(spec.volumes).some((v) => String(v.name).startsWith("kube-api-access-"))) {
    const name = `kube-api-access-${randomSuffix(5)}`;
    spec.volumes = [
      ...list(spec.volumes),
      {
        name,
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
            { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
            { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
          ],
        },
      },
    ];
    for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
      c.volumeMounts = [...list(c.volumeMounts), { name, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }];
    }
  }
  const status = o((pod.status ??= {}));
  setDefault(status, "phase", "Pending");
  setDefault(status, "qosClass", qosClass(spec));
}

/** `strategy: {}` (what kubectl create sends) defaults like an absent one. */
function defaultStrategy(spec: J, field: string, rolling: J): void {
  const st = o((spec[field] ??= {}));
  setDefault(st, "type", "RollingUpdate");
  if (st.type === "RollingUpdate") {
    const ru = o((st.rollingUpdate ??= {}));
    for (const [k, v] of Object.entries(rolling)) setDefault(ru, k, v);
  }
}

function defaultTemplate(spec: J): void {
  const tpl = o((spec.template ??= {}));
  defaultPodSpec(o((tpl.spec ??= {})));
  const meta = o((tpl.metadata ??= {}));
  setDefault(meta, "creationTimestamp", null);
}

export interface DefaultingContext {
  store: ObjectStore;
}

function usedClusterIps(store: ObjectStore): Set<string> {
  return new Set(store.list("services").items.map((s) => String(o(s.spec).clusterIP ?? "")));
}

function allocateClusterIp(store: ObjectStore): string {
  const used = usedClusterIps(store);
  for (let i = 0; i < 5000; i++) {
    const n = 10 + Math.floor(Math.random() * 65000);
    const ip = `10.96.${Math.floor(n / 256)}.${n % 256}`;
    if (!used.has(ip) && !ip.endsWith(".0") && !ip.endsWith(".255")) return ip;
  }
  throw new Error("sim: service IP range 10.96.0.0/16 is exhausted");
}

function allocateNodePort(store: ObjectStore): number {
  const used = new Set(store.list("services").items.flatMap((s) => list(o(s.spec).ports).map((p) => Number(p.nodePort ?? 0))));
  for (let i = 0; i < 5000; i++) {
    const p = 30000 + Math.floor(Math.random() * 2768);
    if (!used.has(p)) return p;
  }
  throw new Error("sim: node port range 30000-32767 is exhausted");
}

/** Defaults an object on create (and the parts that apply on update, via `onUpdate`). */
export function applyCreateDefaults(key: string, obj: KubeObject, ctx: DefaultingContext): void {
  const hasSpec = ["pods", "deployments.apps", "replicasets.apps", "daemonsets.apps", "statefulsets.apps", "jobs.batch", "cronjobs.batch", "horizontalpodautoscalers.autoscaling", "poddisruptionbudgets.policy", "services", "persistentvolumeclaims", "persistentvolumes"].includes(key);
  if (hasSpec) obj.spec ??= {};
  const spec = o(obj.spec);
  switch (key) {
    case "pods":
      defaultPod(obj);
      break;
    case "deployments.apps":
      setDefault(spec, "replicas", 1);
      defaultStrategy(spec, "strategy", { maxUnavailable: "25%", maxSurge: "25%" });
      setDefault(spec, "revisionHistoryLimit", 10);
      setDefault(spec, "progressDeadlineSeconds", 600);
      defaultTemplate(spec);
      break;
    case "replicasets.apps":
      setDefault(spec, "replicas", 1);
      defaultTemplate(spec);
      break;
    case "daemonsets.apps":
      defaultStrategy(spec, "updateStrategy", { maxUnavailable: 1, maxSurge: 0 });
      setDefault(spec, "revisionHistoryLimit", 10);
      defaultTemplate(spec);
      break;
    case "statefulsets.apps":
      setDefault(spec, "replicas", 1);
      setDefault(spec, "podManagementPolicy", "OrderedReady");
      defaultStrategy(spec, "updateStrategy", { partition: 0 });
      setDefault(spec, "revisionHistoryLimit", 10);
      setDefault(spec, "persistentVolumeClaimRetentionPolicy", { whenDeleted: "Retain", whenScaled: "Retain" });
      defaultTemplate(spec);
      break;
    case "jobs.batch": {
      if (spec.completions === undefined && spec.parallelism === undefined) {
        spec.completions = 1;
        spec.parallelism = 1;
      }
      setDefault(spec, "parallelism", 1);
      setDefault(spec, "backoffLimit", 6);
      setDefault(spec, "completionMode", "NonIndexed");
      setDefault(spec, "suspend", false);
      setDefault(spec, "podReplacementPolicy", "TerminatingOrFailed");
      defaultTemplate(spec);
      if (!spec.manualSelector) {
        // The job controller's generated selector: the uid is known only after create, so the
        // store's uid is reserved here.
        const uid = (obj.metadata.uid ??= crypto.randomUUID());
        const name = obj.metadata.name ?? "";
        spec.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
        const meta = o(o(spec.template).metadata);
        meta.labels = {
          ...o(meta.labels),
          "batch.kubernetes.io/controller-uid": uid,
          "batch.kubernetes.io/job-name": name,
          "controller-uid": uid,
          "job-name": name,
        };
        obj.metadata.labels = { "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name, "controller-uid": uid, "job-name": name, ...obj.metadata.labels };
      }
      break;
    }
    case "cronjobs.batch": {
      setDefault(spec, "concurrencyPolicy", "Allow");
      setDefault(spec, "suspend", false);
      setDefault(spec, "successfulJobsHistoryLimit", 3);
      setDefault(spec, "failedJobsHistoryLimit", 1);
      const jt = o((spec.jobTemplate ??= {}));
      defaultTemplate(o((jt.spec ??= {})));
      setDefault(o((jt.metadata ??= {})), "creationTimestamp", null);
      obj.status = {};
      break;
    }
    case "horizontalpodautoscalers.autoscaling":
      setDefault(spec, "minReplicas", 1);
      if (!list(spec.metrics).length) {
        spec.metrics = [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } }];
      }
      obj.status = { desiredReplicas: 0 };
      break;
    case "poddisruptionbudgets.policy":
      obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
      break;
    case "services": {
      setDefault(spec, "type", "ClusterIP");
      setDefault(spec, "sessionAffinity", "None");
      if (spec.type !== "ExternalName") {
        setDefault(spec, "ipFamilies", ["IPv4"]);
        setDefault(spec, "ipFamilyPolicy", "SingleStack");
        setDefault(spec, "internalTrafficPolicy", "Cluster");
        if (spec.clusterIP !== "None") {
          setDefault(spec, "clusterIP", allocateClusterIp(ctx.store));
          spec.clusterIPs = [spec.clusterIP];
        } else spec.clusterIPs = ["None"];
      }
      for (const p of list(spec.ports)) {
        setDefault(p, "protocol", "TCP");
        setDefault(p, "targetPort", p.port);
        if (spec.type === "NodePort" || spec.type === "LoadBalancer") setDefault(p, "nodePort", allocateNodePort(ctx.store));
      }
      if (spec.type === "NodePort" || spec.type === "LoadBalancer") setDefault(spec, "externalTrafficPolicy", "Cluster");
      if (spec.type === "LoadBalancer") setDefault(spec, "allocateLoadBalancerNodePorts", true);
      obj.status ??= { loadBalancer: {} };
      break;
    }
    case "namespaces":
      obj.metadata.labels = { ...obj.metadata.labels, "kubernetes.io/metadata.name": obj.metadata.name ?? "" };
      obj.spec = { finalizers: ["kubernetes"] };
      obj.status = { phase: "Active" };
      break;
    case "secrets":
      setDefault(obj, "type", "Opaque");
      break;
    case "persistentvolumeclaims":
      setDefault(spec, "volumeMode", "Filesystem");
      obj.status = { phase: "Pending" };
      break;
    case "persistentvolumes":
      setDefault(spec, "persistentVolumeReclaimPolicy", "Retain");
      setDefault(spec, "volumeMode", "Filesystem");
      obj.status = { phase: "Pending" };
      break;
    case "storageclasses.storage.k8s.io":
      setDefault(obj, "reclaimPolicy", "Delete");
      setDefault(obj, "volumeBindingMode", "Immediate");
      break;
  }
}

/** Labels that must stay on a namespace even if an update drops them. */
export function applyUpdateDefaults(key: string, next: KubeObject, cur: KubeObject): void {
  if (key === CSR_KEY) prepareCsrForUpdate(next, cur, "update", "");
  if (key === "namespaces") {
    next.metadata.labels = { ...next.metadata.labels, "kubernetes.io/metadata.name": next.metadata.name ?? "" };
    next.spec = cur.spec;
  }
  if (key === "services") {
    const ns = o(next.spec);
    const cs = o(cur.spec);
    // clusterIP is immutable and kept when an update omits it (kubectl replace, apply).
    if (!ns.clusterIP && cs.clusterIP) {
      ns.clusterIP = cs.clusterIP;
      ns.clusterIPs = cs.clusterIPs;
    }
    for (const p of list(ns.ports)) {
      setDefault(p, "protocol", "TCP");
      setDefault(p, "targetPort", p.port);
    }
  }
  if (key === "pods") {
    const spec = o(next.spec);
    for (const c of [...list(spec.containers), ...list(spec.initContainers)]) defaultContainer(c);
  }
  if (["deployments.apps", "replicasets.apps", "daemonsets.apps", "statefulsets.apps", "jobs.batch"].includes(key)) {
    const spec = o(next.spec);
    if (spec.template) defaultPodSpec(o(o(spec.template).spec));
  }
  if (key === "cronjobs.batch") {
    const tpl = o(o(o(o(next.spec).jobTemplate).spec).template);
    if (tpl.spec) defaultPodSpec(o(tpl.spec));
  }
}
