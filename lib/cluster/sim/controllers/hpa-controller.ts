/**
 * horizontal-pod-autoscaler (pkg/controller/podautoscaler) in a cluster WITHOUT metrics-server,
 * which is what kind ships: every 15 s (--horizontal-pod-autoscaler-sync-period) it reads the
 * target's scale (AbleToScale True/SucceededGetScale), keeps the target between minReplicas and
 * maxReplicas (SuccessfulRescale `New size: 2; reason: Current number of replicas below
 * Spec.MinReplicas`), and otherwise fails to compute a replica count because the resource
 * metrics API is not served: ScalingActive False/FailedGetResourceMetric, events
 * FailedGetResourceMetric and FailedComputeMetricsReplicas, `currentMetrics: [{type: ""}]`, so
 * `kubectl get hpa` shows `cpu: <unknown>/80%`. Metric-based scaling is not modelled.
 */
import type { SimComponent } from "../contracts";
import type { KubeObject } from "../store/types";
import { isoTime } from "./object-helpers";
import type { ControllerOptions } from "./replicaset-controller";
import { createWorkQueue, nsKey, splitKey } from "./work-queue";

const HPA = "horizontalpodautoscalers.autoscaling";
const COMPONENT = "horizontal-pod-autoscaler";
const SYNC_PERIOD_MS = 15_000;
const NO_METRICS_API = "unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)";

/** The scale subresources the sim serves, by scaleTargetRef kind (apps/v1). */
const SCALABLE: Record<string, string> = { Deployment: "deployments.apps", ReplicaSet: "replicasets.apps", StatefulSet: "statefulsets.apps" };

type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});

interface HpaCondition {
  type: string;
  status: "True" | "False";
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** setCondition: the transition time moves only when the status changes; new types go last. */
function setCondition(conds: HpaCondition[], type: string, status: "True" | "False", reason: string, message: string, nowIso: string): HpaCondition[] {
  const cur = conds.find((c) => c.type === type);
  if (!cur) return [...conds, { type, status, lastTransitionTime: nowIso, reason, message }];
  return conds.map((c) => (c === cur ? { type, status, lastTransitionTime: c.status === status ? c.lastTransitionTime : nowIso, reason, message } : c));
}

/** The error computeStatusForResourceMetricGeneric returns for one metric without a metrics API. */
function metricError(metric: J): string {
  switch (metric.type) {
    case "Resource":
    case "ContainerResource": {
      const src = o(metric.type === "Resource" ? metric.resource : metric.containerResource);
      const name = String(src.name ?? "");
      const target = o(src.target);
      if (target.averageUtilization === undefined) {
        if (target.averageValue === undefined) return "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set";
        return `failed to get ${name} usage: unable to get metrics for resource ${name}: ${NO_METRICS_API}`;
      }
      return `failed to get ${name} utilization: unable to get metrics for resource ${name}: ${NO_METRICS_API}`;
    }
    case "Pods":
      return `unable to get metric ${String(o(o(metric.pods).metric).name ?? "")}: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`;
    case "Object":
      return `unable to get metric ${String(o(o(metric.object).metric).name ?? "")}: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`;
    case "External":
      return `unable to get external metric ${String(o(o(metric.external).metric).name ?? "")}: unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered`;
  }
  return `unknown metric source type "${String(metric.type)}"`;
}

function failedReason(metric: J): string {
  switch (metric.type) {
    case "Resource":
      return "FailedGetResourceMetric";
    case "ContainerResource":
      return "FailedGetContainerResourceMetric";
    case "Pods":
      return "FailedGetPodsMetric";
    case "Object":
      return "FailedGetObjectMetric";
    case "External":
      return "FailedGetExternalMetric";
  }
  return "InvalidMetricSourceType";
}

export function startHpaController(opts: ControllerOptions): SimComponent {
  const { store, clock, events } = opts;

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const hpa = store.get(HPA, ns, name);
    if (!hpa || hpa.metadata.deletionTimestamp) return;
    queue.addAfter(key, SYNC_PERIOD_MS);
    const record = (type: "Normal" | "Warning", reason: string, message: string) => events.record({ involvedObject: hpa, type, reason, message, component: COMPONENT });
    const spec = o(hpa.spec);
    const status = o(hpa.status);
    const nowIso = isoTime(clock.now());
    let conditions = (Array.isArray(status.conditions) ? status.conditions : []) as HpaCondition[];
    const ref = o(spec.scaleTargetRef);
    const targetKey = SCALABLE[String(ref.kind ?? "")];
    const target: KubeObject | undefined = targetKey ? store.get(targetKey, ns, String(ref.name ?? "")) : undefined;
    if (!target || !targetKey) {
      const group = String(ref.apiVersion ?? "").includes("/") ? String(ref.apiVersion).split("/")[0] : "";
      const err = targetKey
        ? `${targetKey} "${String(ref.name ?? "")}" not found`
        : `no matches for kind "${String(ref.kind ?? "")}" in group "${group}"`;
      record("Warning", "FailedGetScale", err);
      conditions = setCondition(conditions, "AbleToScale", "False", "FailedGetScale", `the HPA controller was unable to get the target's current scale: ${err}`, nowIso);
      return write(hpa, { ...status, conditions });
    }
    conditions = setCondition(conditions, "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale", nowIso);
    const current = typeof o(target.spec).replicas === "number" ? Number(o(target.spec).replicas) : 1;
    const min = typeof spec.minReplicas === "number" ? spec.minReplicas : 1;
    const max = Number(spec.maxReplicas ?? 0);
    let desired: number | undefined;
    let reason = "";
    if (current === 0 && min !== 0) {
      conditions = setCondition(conditions, "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", nowIso);
      return write(hpa, { ...status, currentReplicas: current, desiredReplicas: 0, conditions });
    } else if (current > max) {
      desired = max;
      reason = "Current number of replicas above Spec.MaxReplicas";
    } else if (current < min) {
      desired = min;
      reason = "Current number of replicas below Spec.MinReplicas";
    }
    if (desired !== undefined) {
      const next = structuredClone(target);
      next.spec = { ...o(next.spec), replicas: desired };
      store.update(targetKey, next, { force: true });
      conditions = setCondition(conditions, "AbleToScale", "True", "SucceededRescale", `the HPA controller was able to update the target scale to ${desired}`, nowIso);
      record("Normal", "SuccessfulRescale", `New size: ${desired}; reason: ${reason}`);
      const { currentMetrics: _drop, ...rest } = status;
      return write(hpa, { ...rest, currentReplicas: current, desiredReplicas: desired, lastScaleTime: nowIso, conditions });
    }
    // Within bounds: the replica count comes from metrics, and there is no metrics API to ask.
    const metrics = (Array.isArray(spec.metrics) ? spec.metrics : []).map(o);
    if (!metrics.length) return write(hpa, { ...status, currentReplicas: current, desiredReplicas: current, conditions });
    const first = metrics[0]!;
    const err = metricError(first);
    for (const m of metrics) record("Warning", failedReason(m), metricError(m));
    conditions = setCondition(conditions, "ScalingActive", "False", failedReason(first), `the HPA was unable to compute the replica count: ${err}`, nowIso);
    record("Warning", "FailedComputeMetricsReplicas", `invalid metrics (${metrics.length} invalid out of ${metrics.length}), first error is: ${err}`);
    write(hpa, { ...status, currentReplicas: current, currentMetrics: metrics.map(() => ({ type: "" })), conditions });
  }

  function write(hpa: KubeObject, status: J): void {
    const clean = JSON.parse(JSON.stringify(status)) as J;
    if (JSON.stringify(hpa.status) === JSON.stringify(clean)) return;
    store.update(HPA, { ...hpa, status: clean }, { subresource: "status", force: true });
  }

  const queue = createWorkQueue(clock, "horizontal-pod-autoscaler", reconcile);
  const stops = [
    store.watch(HPA, {}, (e) => {
      // Status writes are the controller's own; only spec changes (and new HPAs) sync at once.
      if (e.type === "ADDED") queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name));
    }),
  ];
  for (const h of store.list(HPA).items) queue.add(nsKey(h.metadata.namespace, h.metadata.name));
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
