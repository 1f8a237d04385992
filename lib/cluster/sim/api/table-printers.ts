import type { KubeObject } from "../store/types";
import { humanDuration, since } from "./human-duration";
import { EVERYDAY_WORKLOAD_PRINTERS } from "./everyday-workload-printers";
import { podStatusCells, type PodLike } from "./pod-status";
import { resourceQuotaCells } from "./resource-quota-cells";

/**
 * Server-side printing (`Accept: …;as=Table`): the columns and cells a real kube-apiserver sends
 * kubectl, per kind, ported from pkg/printers/internalversion/printers.go. The server always
 * renders the wide cells; kubectl hides priority-1 columns unless `-o wide`.
 */

export interface ColumnDefinition {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean;

export interface Printer {
  columns: [name: string, type?: ColumnDefinition["type"], priority?: number, format?: string][];
  cells(o: KubeObject, now: Date): Cell[];
}

type J = Record<string, unknown>;

function obj(v: unknown): J {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {};
}
function arr(v: unknown): J[] {
  return Array.isArray(v) ? (v as unknown[]).map(obj) : [];
}
function str(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}
function num(v: unknown): number {
  return typeof v === "number" ? v : 0;
}
function path(o: unknown, p: string): unknown {
  let cur: unknown = o;
  for (const k of p.split(".")) cur = obj(cur)[k];
  return cur;
}
const age = (o: KubeObject, now: Date) => since(o.metadata.creationTimestamp, now);
const orNone = (s: string) => (s ? s : "<none>");

/** "app=web,tier=db" for a map, "<none>" when empty (labels.FormatLabels). */
export function formatLabels(m: unknown): string {
  const e = Object.entries(obj(m)).sort(([a], [b]) => a.localeCompare(b));
  return e.length ? e.map(([k, v]) => `${k}=${str(v)}`).join(",") : "<none>";
}

/** metav1.FormatLabelSelector: matchLabels and matchExpressions as kubectl shows them. */
export function formatLabelSelector(sel: unknown): string {
  const s = obj(sel);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(obj(s.matchLabels)).sort(([a], [b]) => a.localeCompare(b))) parts.push(`${k}=${str(v)}`);
  for (const e of arr(s.matchExpressions)) {
    const vals = (Array.isArray(e.values) ? (e.values as unknown[]).map(str) : []).sort();
    switch (e.operator) {
      case "In":
        parts.push(`${str(e.key)} in (${vals.join(",")})`);
        break;
      case "NotIn":
        parts.push(`${str(e.key)} notin (${vals.join(",")})`);
        break;
      case "Exists":
        parts.push(str(e.key));
        break;
      case "DoesNotExist":
        parts.push(`!${str(e.key)}`);
        break;
    }
  }
  return parts.length ? parts.join(",") : "<none>";
}

function containersAndImages(podSpec: unknown): [string, string] {
  const cs = arr(obj(podSpec).containers);
  return [cs.map((c) => str(c.name)).join(","), cs.map((c) => str(c.image)).join(",")];
}

function nodeRoles(labels: Record<string, string> | undefined): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const r = k.slice("node-role.kubernetes.io/".length);
      if (r) roles.add(r);
    } else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(",") : "<none>";
}

function nodeStatus(o: KubeObject): string {
  const conds = arr(path(o, "status.conditions"));
  const ready = conds.find((c) => c.type === "Ready");
  const parts = [!ready ? "Unknown" : ready.status === "True" ? "Ready" : ready.status === "False" ? "NotReady" : "Unknown"];
  if (path(o, "spec.unschedulable") === true) parts.push("SchedulingDisabled");
  return parts.join(",");
}

function nodeAddress(o: KubeObject, type: string): string {
  const a = arr(path(o, "status.addresses")).find((x) => x.type === type);
  return a ? str(a.address) : "<none>";
}

function servicePorts(o: KubeObject): string {
  const ports = arr(path(o, "spec.ports"));
  if (!ports.length) return "<none>";
  return ports
    .map((p) => {
      const proto = str(p.protocol) || "TCP";
      return p.nodePort ? `${num(p.port)}:${num(p.nodePort)}/${proto}` : `${num(p.port)}/${proto}`;
    })
    .join(",");
}

function serviceExternalIp(o: KubeObject): string {
  const type = str(path(o, "spec.type")) || "ClusterIP";
  const externalIps = (path(o, "spec.externalIPs") as string[] | undefined) ?? [];
  const lbIps = arr(path(o, "status.loadBalancer.ingress")).map((i) => str(i.ip) || str(i.hostname));
  switch (type) {
    case "ClusterIP":
    case "NodePort":
      return externalIps.length ? externalIps.join(",") : "<none>";
    case "LoadBalancer": {
      const all = [...lbIps, ...externalIps];
      return all.length ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return str(path(o, "spec.externalName"));
  }
  return "<unknown>";
}

function formatEndpoints(o: KubeObject): string {
  const list: string[] = [];
  let count = 0;
  for (const subset of arr(o.subsets)) {
    const ports = arr(subset.ports);
    for (const a of arr(subset.addresses)) {
      if (!ports.length) {
        count++;
        if (list.length < 3) list.push(str(a.ip));
        continue;
      }
      for (const p of ports) {
        count++;
        if (list.length < 3) list.push(`${str(a.ip)}:${num(p.port)}`);
      }
    }
  }
  if (!list.length) return "<none>";
  return count > 3 ? `${list.join(",")} + ${count - 3} more...` : list.join(",");
}

function sliceEndpoints(o: KubeObject): string {
  const addrs = arr(o.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? (e.addresses as unknown[]).map(str) : []));
  if (!addrs.length) return "<unset>";
  return addrs.length > 3 ? `${addrs.slice(0, 3).join(",")} + ${addrs.length - 3} more...` : addrs.join(",");
}

function slicePorts(o: KubeObject): string {
  const ports = arr(o.ports);
  if (!ports.length) return "<unset>";
  const list = ports.map((p) => (p.port === undefined || p.port === null ? "<unset>" : String(num(p.port))));
  return list.length > 3 ? `${list.slice(0, 3).join(",")} + ${list.length - 3} more...` : list.join(",");
}

function accessModes(modes: unknown): string {
  const short: Record<string, string> = {
    ReadWriteOnce: "RWO",
    ReadOnlyMany: "ROX",
    ReadWriteMany: "RWX",
    ReadWriteOncePod: "RWOP",
  };
  const list = Array.isArray(modes) ? (modes as unknown[]).map(str) : [];
  const order = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];
  return order.filter((m) => list.includes(m)).map((m) => short[m]).join(",");
}

function jobStatus(o: KubeObject): string {
  const conds = arr(path(o, "status.conditions")).filter((c) => c.status === "True");
  const has = (t: string) => conds.some((c) => c.type === t);
  if (has("Complete")) return "Complete";
  if (has("Failed")) return "Failed";
  if (has("FailureTarget")) return "FailureTarget";
  if (has("SuccessCriteriaMet")) return "SuccessCriteriaMet";
  if (path(o, "spec.suspend") === true || has("Suspended")) return "Suspended";
  return "Running";
}

function jobDuration(o: KubeObject, now: Date): string {
  const start = str(path(o, "status.startTime"));
  const end = str(path(o, "status.completionTime"));
  if (!start) return "";
  return humanDuration((end ? Date.parse(end) : now.getTime()) - Date.parse(start));
}

function eventCells(o: KubeObject, now: Date): Cell[] {
  // events.k8s.io/v1 names the core/v1 fields deprecated*; both print alike, as on the apiserver.
  const firstTs = str(o.firstTimestamp ?? o.deprecatedFirstTimestamp);
  const lastTs = str(o.lastTimestamp ?? o.deprecatedLastTimestamp);
  const first = firstTs ? since(firstTs, now) : since(str(o.eventTime), now);
  let last = lastTs ? since(lastTs, now) : first;
  let count = num(o.count ?? o.deprecatedCount);
  const series = obj(o.series);
  if (o.series) {
    last = since(str(series.lastObservedTime), now);
    count = num(series.count);
  } else if (count === 0) count = 1;
  const io = obj(o.involvedObject ?? o.regarding);
  const target = str(io.name) ? `${str(io.kind).toLowerCase()}/${str(io.name)}` : str(io.kind).toLowerCase();
  const src = obj(o.source ?? o.deprecatedSource);
  let source = str(src.component) || str(o.reportingController);
  const host = str(src.host) || str(o.reportingInstance);
  if (host && source) source = `${source}, ${host}`;
  else if (host) source = host;
  return [last, str(o.type), str(o.reason), target, str(io.fieldPath), source, str(o.message ?? o.note).trim(), first, count, o.metadata.name ?? ""];
}

function roleBindingCells(o: KubeObject, now: Date): Cell[] {
  const ref = obj(o.roleRef);
  const subs = arr(o.subjects);
  const users = subs.filter((s) => s.kind === "User").map((s) => str(s.name));
  const groups = subs.filter((s) => s.kind === "Group").map((s) => str(s.name));
  const sas = subs.filter((s) => s.kind === "ServiceAccount").map((s) => `${str(s.namespace)}/${str(s.name)}`);
  return [o.metadata.name ?? "", `${str(ref.kind)}/${str(ref.name)}`, age(o, now), users.join(", "), groups.join(", "), sas.join(", ")];
}

const n = (o: KubeObject) => o.metadata.name ?? "";

/** extractCSRStatus: Denied over Approved over Pending, then ",Failed" and ",Issued". */
function csrCondition(o: KubeObject): string {
  const types = arr(path(o, "status.conditions")).map((c) => c.type);
  let s = types.includes("Denied") ? "Denied" : types.includes("Approved") ? "Approved" : "Pending";
  if (types.includes("Failed")) s += ",Failed";
  if (str(path(o, "status.certificate"))) s += ",Issued";
  return s;
}

const PRINTERS: Record<string, Printer> = {
  Pod: {
    columns: [
      ["Name"],
      ["Ready"],
      ["Status"],
      ["Restarts"],
      ["Age"],
      ["IP", "string", 1],
      ["Node", "string", 1],
      ["Nominated Node", "string", 1],
      ["Readiness Gates", "string", 1],
    ],
    cells(o, now) {
      const p = o as unknown as PodLike;
      const c = podStatusCells(p, now);
      const ips = arr(path(o, "status.podIPs"));
      const ip = ips.length ? str(ips[0]!.ip) : str(path(o, "status.podIP"));
      const gates = p.spec?.readinessGates ?? [];
      let gatesCell = "<none>";
      if (gates.length) {
        const conds = p.status?.conditions ?? [];
        const ok = gates.filter((g) => conds.some((c2) => c2.type === g.conditionType && c2.status === "True")).length;
        gatesCell = `${ok}/${gates.length}`;
      }
      return [n(o), c.ready, c.status, c.restarts, age(o, now), orNone(ip), orNone(str(path(o, "spec.nodeName"))), orNone(str(path(o, "status.nominatedNodeName"))), gatesCell];
    },
  },
  Namespace: {
    columns: [["Name"], ["Status"], ["Age"]],
    cells: (o, now) => [n(o), str(path(o, "status.phase")), age(o, now)],
  },
  Node: {
    columns: [
      ["Name"],
      ["Status"],
      ["Roles"],
      ["Age"],
      ["Version"],
      ["Internal-IP", "string", 1],
      ["External-IP", "string", 1],
      ["OS-Image", "string", 1],
      ["Kernel-Version", "string", 1],
      ["Container-Runtime", "string", 1],
    ],
    cells(o, now) {
      const info = obj(path(o, "status.nodeInfo"));
      return [
        n(o),
        nodeStatus(o),
        nodeRoles(o.metadata.labels),
        age(o, now),
        str(info.kubeletVersion),
        nodeAddress(o, "InternalIP"),
        nodeAddress(o, "ExternalIP"),
        orNone(str(info.osImage)) === "<none>" ? "<unknown>" : str(info.osImage),
        orNone(str(info.kernelVersion)) === "<none>" ? "<unknown>" : str(info.kernelVersion),
        orNone(str(info.containerRuntimeVersion)) === "<none>" ? "<unknown>" : str(info.containerRuntimeVersion),
      ];
    },
  },
  Service: {
    columns: [["Name"], ["Type"], ["Cluster-IP"], ["External-IP"], ["Port(s)"], ["Age"], ["Selector", "string", 1]],
    cells: (o, now) => [
      n(o),
      str(path(o, "spec.type")) || "ClusterIP",
      orNone(str(path(o, "spec.clusterIP"))),
      serviceExternalIp(o),
      servicePorts(o),
      age(o, now),
      formatLabels(path(o, "spec.selector")),
    ],
  },
  Endpoints: {
    columns: [["Name"], ["Endpoints"], ["Age"]],
    cells: (o, now) => [n(o), formatEndpoints(o), age(o, now)],
  },
  EndpointSlice: {
    columns: [["Name"], ["AddressType"], ["Ports"], ["Endpoints"], ["Age"]],
    cells: (o, now) => [n(o), str(o.addressType), slicePorts(o), sliceEndpoints(o), age(o, now)],
  },
  ConfigMap: {
    columns: [["Name"], ["Data", "integer"], ["Age"]],
    cells: (o, now) => [n(o), Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length, age(o, now)],
  },
  Secret: {
    columns: [["Name"], ["Type"], ["Data", "integer"], ["Age"]],
    cells: (o, now) => [n(o), str(o.type), Object.keys(obj(o.data)).length, age(o, now)],
  },
  ServiceAccount: {
    columns: [["Name"], ["Secrets", "string"], ["Age"]],
    cells: (o, now) => [n(o), arr(o.secrets).length, age(o, now)],
  },
  Event: {
    columns: [
      ["Last Seen"],
      ["Type"],
      ["Reason"],
      ["Object"],
      ["Subobject", "string", 1],
      ["Source", "string", 1],
      ["Message"],
      ["First Seen", "string", 1],
      ["Count", "string", 1],
      ["Name", "string", 1, "name"],
    ],
    cells: eventCells,
  },
  Deployment: {
    columns: [
      ["Name"],
      ["Ready"],
      ["Up-to-date", "integer"],
      ["Available", "integer"],
      ["Age"],
      ["Containers", "string", 1],
      ["Images", "string", 1],
      ["Selector", "string", 1],
    ],
    cells(o, now) {
      const [c, i] = containersAndImages(path(o, "spec.template.spec"));
      const desired = path(o, "spec.replicas");
      return [
        n(o),
        `${num(path(o, "status.readyReplicas"))}/${typeof desired === "number" ? desired : 1}`,
        num(path(o, "status.updatedReplicas")),
        num(path(o, "status.availableReplicas")),
        age(o, now),
        c,
        i,
        formatLabelSelector(path(o, "spec.selector")),
      ];
    },
  },
  ReplicaSet: {
    columns: [
      ["Name"],
      ["Desired", "integer"],
      ["Current", "integer"],
      ["Ready", "integer"],
      ["Age"],
      ["Containers", "string", 1],
      ["Images", "string", 1],
      ["Selector", "string", 1],
    ],
    cells(o, now) {
      const [c, i] = containersAndImages(path(o, "spec.template.spec"));
      const desired = path(o, "spec.replicas");
      return [
        n(o),
        typeof desired === "number" ? desired : 1,
        num(path(o, "status.replicas")),
        num(path(o, "status.readyReplicas")),
        age(o, now),
        c,
        i,
        formatLabelSelector(path(o, "spec.selector")),
      ];
    },
  },
  DaemonSet: {
    columns: [
      ["Name"],
      ["Desired", "integer"],
      ["Current", "integer"],
      ["Ready", "integer"],
      ["Up-to-date", "integer"],
      ["Available", "integer"],
      ["Node Selector"],
      ["Age"],
      ["Containers", "string", 1],
      ["Images", "string", 1],
      ["Selector", "string", 1],
    ],
    cells(o, now) {
      const [c, i] = containersAndImages(path(o, "spec.template.spec"));
      return [
        n(o),
        num(path(o, "status.desiredNumberScheduled")),
        num(path(o, "status.currentNumberScheduled")),
        num(path(o, "status.numberReady")),
        num(path(o, "status.updatedNumberScheduled")),
        num(path(o, "status.numberAvailable")),
        formatLabels(path(o, "spec.template.spec.nodeSelector")),
        age(o, now),
        c,
        i,
        formatLabelSelector(path(o, "spec.selector")),
      ];
    },
  },
  StatefulSet: {
    columns: [["Name"], ["Ready"], ["Age"], ["Containers", "string", 1], ["Images", "string", 1]],
    cells(o, now) {
      const [c, i] = containersAndImages(path(o, "spec.template.spec"));
      const desired = path(o, "spec.replicas");
      return [n(o), `${num(path(o, "status.readyReplicas"))}/${typeof desired === "number" ? desired : 1}`, age(o, now), c, i];
    },
  },
  Job: {
    columns: [
      ["Name"],
      ["Status"],
      ["Completions"],
      ["Duration"],
      ["Age"],
      ["Containers", "string", 1],
      ["Images", "string", 1],
      ["Selector", "string", 1],
    ],
    cells(o, now) {
      const [c, i] = containersAndImages(path(o, "spec.template.spec"));
      const completions = path(o, "spec.completions");
      const parallelism = num(path(o, "spec.parallelism"));
      const succeeded = num(path(o, "status.succeeded"));
      const comp =
        typeof completions === "number" ? `${succeeded}/${completions}` : parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
      return [n(o), jobStatus(o), comp, jobDuration(o, now), age(o, now), c, i, formatLabelSelector(path(o, "spec.selector"))];
    },
  },
  PersistentVolume: {
    columns: [
      ["Name"],
      ["Capacity"],
      ["Access Modes"],
      ["Reclaim Policy"],
      ["Status"],
      ["Claim"],
      ["StorageClass"],
      ["VolumeAttributesClass"],
      ["Reason"],
      ["Age"],
      ["VolumeMode", "string", 1],
    ],
    cells(o, now) {
      const ref = obj(path(o, "spec.claimRef"));
      const claim = str(ref.name) ? `${str(ref.namespace)}/${str(ref.name)}` : "";
      return [
        n(o),
        str(path(o, "spec.capacity.storage")),
        accessModes(path(o, "spec.accessModes")),
        str(path(o, "spec.persistentVolumeReclaimPolicy")),
        str(path(o, "status.phase")),
        claim,
        str(path(o, "spec.storageClassName")),
        orNone(str(path(o, "spec.volumeAttributesClassName"))),
        str(path(o, "status.reason")),
        age(o, now),
        str(path(o, "spec.volumeMode")) || "<unset>",
      ];
    },
  },
  PersistentVolumeClaim: {
    columns: [
      ["Name"],
      ["Status"],
      ["Volume"],
      ["Capacity"],
      ["Access Modes"],
      ["StorageClass"],
      ["VolumeAttributesClass"],
      ["Age"],
      ["VolumeMode", "string", 1],
    ],
    cells(o, now) {
      const phase = str(path(o, "status.phase"));
      const bound = phase === "Bound";
      return [
        n(o),
        o.metadata.deletionTimestamp ? "Terminating" : phase,
        str(path(o, "spec.volumeName")),
        bound ? str(path(o, "status.capacity.storage")) : "",
        bound ? accessModes(path(o, "status.accessModes")) : "",
        str(path(o, "spec.storageClassName")) || "<unset>",
        orNone(str(path(o, "spec.volumeAttributesClassName"))) === "<none>" ? "<unset>" : str(path(o, "spec.volumeAttributesClassName")),
        age(o, now),
        str(path(o, "spec.volumeMode")) || "<unset>",
      ];
    },
  },
  StorageClass: {
    columns: [["Name"], ["Provisioner"], ["ReclaimPolicy"], ["VolumeBindingMode"], ["AllowVolumeExpansion", "boolean"], ["Age"]],
    cells(o, now) {
      const isDefault = o.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true";
      return [
        isDefault ? `${n(o)} (default)` : n(o),
        str(o.provisioner),
        str(o.reclaimPolicy) || "Delete",
        str(o.volumeBindingMode) || "Immediate",
        o.allowVolumeExpansion === true,
        age(o, now),
      ];
    },
  },
  CertificateSigningRequest: {
    columns: [["Name"], ["Age"], ["SignerName"], ["Requestor"], ["RequestedDuration"], ["Condition"]],
    cells(o, now) {
      const exp = path(o, "spec.expirationSeconds");
      return [
        n(o),
        age(o, now),
        str(path(o, "spec.signerName")) || "<none>",
        str(path(o, "spec.username")),
        typeof exp === "number" ? humanDuration(exp * 1000) : "<none>",
        csrCondition(o),
      ];
    },
  },
  ComponentStatus: {
    columns: [["Name"], ["Status"], ["Message"], ["Error"]],
    cells(o) {
      const c = arr(o.conditions).find((x) => x.type === "Healthy");
      return [n(o), c ? (c.status === "True" ? "Healthy" : "Unhealthy") : "Unknown", str(c?.message), str(c?.error)];
    },
  },
  Lease: {
    columns: [["Name"], ["Holder"], ["Age"]],
    cells: (o, now) => [n(o), str(path(o, "spec.holderIdentity")), age(o, now)],
  },
  NetworkPolicy: {
    columns: [["Name"], ["Pod-Selector"], ["Age"]],
    cells: (o, now) => [n(o), formatLabelSelector(path(o, "spec.podSelector")), age(o, now)],
  },
  Role: {
    columns: [["Name"], ["Created At", "date"]],
    cells: (o) => [n(o), o.metadata.creationTimestamp ?? ""],
  },
  ClusterRole: {
    columns: [["Name"], ["Created At", "date"]],
    cells: (o) => [n(o), o.metadata.creationTimestamp ?? ""],
  },
  RoleBinding: {
    columns: [["Name"], ["Role"], ["Age"], ["Users", "string", 1], ["Groups", "string", 1], ["ServiceAccounts", "string", 1]],
    cells: roleBindingCells,
  },
  ClusterRoleBinding: {
    columns: [["Name"], ["Role"], ["Age"], ["Users", "string", 1], ["Groups", "string", 1], ["ServiceAccounts", "string", 1]],
    cells: roleBindingCells,
  },
  ResourceQuota: {
    columns: [["Name"], ["Age"], ["Request"], ["Limit"]],
    cells: (o, now) => [n(o), age(o, now), ...resourceQuotaCells(o)],
  },
  ControllerRevision: {
    columns: [["Name"], ["Controller"], ["Revision", "integer"], ["Age"]],
    cells(o, now) {
      const owner = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
      const group = owner ? (owner.apiVersion.includes("/") ? owner.apiVersion.split("/")[0]! : "") : "";
      const ctl = owner ? `${owner.kind.toLowerCase()}${group ? `.${group}` : ""}/${owner.name}` : "<none>";
      return [n(o), ctl, num(o.revision), age(o, now)];
    },
  },
};

Object.assign(PRINTERS, EVERYDAY_WORKLOAD_PRINTERS);

const DEFAULT_PRINTER: Printer = {
  columns: [["Name"], ["Created At", "date"]],
  cells: (o) => [n(o), o.metadata.creationTimestamp ?? ""],
};

export interface TableRow {
  cells: Cell[];
  object?: unknown;
}

export interface Table {
  kind: "Table";
  apiVersion: "meta.k8s.io/v1";
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: ColumnDefinition[];
  rows: TableRow[];
}

function describeColumn(name: string): string {
  if (name === "Name") {
    return "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
  }
  if (name === "Age") {
    return "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
  }
  return name;
}

export function columnsFor(kind: string): ColumnDefinition[] {
  const p = PRINTERS[kind] ?? DEFAULT_PRINTER;
  return p.columns.map(([name, type = "string", priority = 0, format]) => ({
    name,
    type,
    format: format ?? (name === "Name" ? "name" : ""),
    description: describeColumn(name),
    priority,
  }));
}

/** Cells of one object's row, in column order (wide cells included). */
export function rowCells(o: KubeObject, now: Date): Cell[] {
  return (PRINTERS[o.kind] ?? DEFAULT_PRINTER).cells(o, now);
}

/** Whether the kind has a dedicated printer (otherwise the generic NAME / CREATED AT table). */
export function hasPrinter(kind: string): boolean {
  return kind in PRINTERS;
}
