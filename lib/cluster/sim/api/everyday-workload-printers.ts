import type { KubeObject } from "../store/types";
import { hpaV1ToV2 } from "./hpa-versions";
import { since } from "./human-duration";
import type { Printer } from "./table-printers";

/**
 * Table printers for CronJob, HorizontalPodAutoscaler and PodDisruptionBudget, ported from
 * pkg/printers/internalversion/printers.go (v1.32): printCronJob, printHorizontalPodAutoscaler
 * with formatHPAMetrics, printPodDisruptionBudget.
 */

type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});
const list = (v: unknown): J[] => (Array.isArray(v) ? (v as unknown[]).map(o) : []);
const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
const age = (x: KubeObject, now: Date) => since(x.metadata.creationTimestamp, now);

/** intstr.String(): an int prints as a number, a string as itself. */
function intOrString(v: unknown): string {
  return typeof v === "number" ? String(v) : str(v);
}

/** formatHPAMetrics: at most two metrics, then "+ N more...". */
export function formatHpaMetrics(specs: J[], statuses: J[]): string {
  if (!specs.length) return "<none>";
  const out: string[] = [];
  specs.forEach((spec, i) => {
    const st = o(statuses[i]);
    switch (spec.type) {
      case "External":
      case "Object": {
        const field = spec.type === "External" ? "external" : "object";
        const target = o(o(spec[field]).target);
        const cur = o(o(st[field]).current);
        if (target.averageValue !== undefined) {
          const current = st[field] && cur.averageValue !== undefined ? str(cur.averageValue) : "<unknown>";
          out.push(`${current}/${str(target.averageValue)} (avg)`);
        } else {
          const current = st[field] ? str(cur.value) : "<unknown>";
          out.push(`${current}/${str(target.value)}`);
        }
        break;
      }
      case "Pods": {
        const current = st.pods ? str(o(o(st.pods).current).averageValue) : "<unknown>";
        out.push(`${current}/${str(o(o(spec.pods).target).averageValue)}`);
        break;
      }
      case "Resource":
      case "ContainerResource": {
        const field = spec.type === "Resource" ? "resource" : "containerResource";
        const src = o(spec[field]);
        const target = o(src.target);
        const cur = o(o(st[field]).current);
        const name = spec.type === "Resource" ? str(src.name) : `${str(src.name)}/${str(src.container)}`;
        if (target.averageValue !== undefined) {
          const current = st[field] ? str(cur.averageValue) : "<unknown>";
          out.push(`${name}: ${current}/${str(target.averageValue)}`);
        } else {
          const current = st[field] && typeof cur.averageUtilization === "number" ? `${cur.averageUtilization}%` : "<unknown>";
          const want = typeof target.averageUtilization === "number" ? `${target.averageUtilization}%` : "<auto>";
          out.push(`${name}: ${current}/${want}`);
        }
        break;
      }
      default:
        out.push("<unknown type>");
    }
  });
  if (out.length > 2) return `${out.slice(0, 2).join(", ")} + ${out.length - 2} more...`;
  return out.join(", ");
}

export const EVERYDAY_WORKLOAD_PRINTERS: Record<string, Printer> = {
  CronJob: {
    columns: [
      ["Name"],
      ["Schedule"],
      ["Timezone"],
      ["Suspend", "boolean"],
      ["Active", "integer"],
      ["Last Schedule"],
      ["Age"],
      ["Containers", "string", 1],
      ["Images", "string", 1],
      ["Selector", "string", 1],
    ],
    cells(x, now) {
      const spec = o(x.spec);
      const status = o(x.status);
      const last = status.lastScheduleTime ? since(str(status.lastScheduleTime), now) : "<none>";
      const tz = typeof spec.timeZone === "string" ? spec.timeZone : "<none>";
      const suspend = typeof spec.suspend === "boolean" ? (spec.suspend ? "True" : "False") : "<unset>";
      const cs = list(o(o(o(o(spec.jobTemplate).spec).template).spec).containers);
      // A CronJob's job template never carries a selector (validation forbids it), so "<none>".
      return [x.metadata.name ?? "", str(spec.schedule), tz, suspend, list(status.active).length, last, age(x, now), cs.map((c) => str(c.name)).join(","), cs.map((c) => str(c.image)).join(","), "<none>"];
    },
  },
  HorizontalPodAutoscaler: {
    columns: [["Name"], ["Reference"], ["Targets"], ["MinPods"], ["MaxPods"], ["Replicas"], ["Age"]],
    cells(x, now) {
      const v2 = hpaV1ToV2(x);
      const spec = o(v2.spec);
      const status = o(v2.status);
      const ref = o(spec.scaleTargetRef);
      const min = typeof spec.minReplicas === "number" ? String(spec.minReplicas) : "<unset>";
      return [
        x.metadata.name ?? "",
        `${str(ref.kind)}/${str(ref.name)}`,
        formatHpaMetrics(list(spec.metrics), list(status.currentMetrics)),
        min,
        typeof spec.maxReplicas === "number" ? spec.maxReplicas : 0,
        typeof status.currentReplicas === "number" ? status.currentReplicas : 0,
        age(x, now),
      ];
    },
  },
  PodDisruptionBudget: {
    columns: [["Name"], ["Min Available"], ["Max Unavailable"], ["Allowed Disruptions", "integer"], ["Age"]],
    cells(x, now) {
      const spec = o(x.spec);
      const status = o(x.status);
      return [
        x.metadata.name ?? "",
        spec.minAvailable !== undefined && spec.minAvailable !== null ? intOrString(spec.minAvailable) : "N/A",
        spec.maxUnavailable !== undefined && spec.maxUnavailable !== null ? intOrString(spec.maxUnavailable) : "N/A",
        typeof status.disruptionsAllowed === "number" ? status.disruptionsAllowed : 0,
        age(x, now),
      ];
    },
  },
};
