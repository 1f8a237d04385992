/**
 * endpoint-controller and endpointslice-controller: for every Service with a selector, the pods
 * it selects that have an IP, split by readiness (Endpoints `addresses` / `notReadyAddresses`;
 * EndpointSlice `conditions.ready/serving/terminating`), with target ports resolved from numbers
 * or container port names. Slices are named `<service>-<5 chars>` and labelled
 * kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by as the real ones.
 */
import type { SimComponent } from "../contracts";
import type { KubeObject } from "../store/types";
import { randomSuffix } from "../store/object-store";
import type { Pod, Service } from "./api-types";
import { isPodReady, ownerRefTo } from "./object-helpers";
import type { ControllerOptions } from "./replicaset-controller";
import { createWorkQueue, nsKey, splitKey } from "./work-queue";

const SLICES = "endpointslices.discovery.k8s.io";
const MANAGED_BY = "endpointslice-controller.k8s.io";

interface PortMap {
  name?: string;
  port: number;
  protocol: string;
}

function resolvePort(svcPort: NonNullable<Service["spec"]["ports"]>[number], pod: Pod): number | undefined {
  const t = svcPort.targetPort ?? svcPort.port;
  if (typeof t === "number") return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of pod.spec.containers) for (const p of c.ports ?? []) if (p.name === t && (p.protocol ?? "TCP") === (svcPort.protocol ?? "TCP")) return p.containerPort;
  return undefined;
}

export function startEndpointsController(opts: ControllerOptions): SimComponent {
  const { store, clock } = opts;

  function reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = store.get("services", ns, name) as Service | undefined;
    if (!svc || !svc.spec.selector || !Object.keys(svc.spec.selector).length || svc.metadata.deletionTimestamp) {
      // Without a selector the user manages Endpoints; we only clean up our own slices.
      if (!svc) {
        for (const s of store.list(SLICES, { namespace: ns }).items) {
          const l = s.metadata.labels ?? {};
          if (l["kubernetes.io/service-name"] === name && l["endpointslice.kubernetes.io/managed-by"] === MANAGED_BY) store.purge(SLICES, ns, s.metadata.name ?? "");
        }
      }
      return;
    }
    const selector = svc.spec.selector;
    const pods = (store.list("pods", { namespace: ns }).items as Pod[]).filter(
      (p) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v) && p.status?.podIP && p.status.phase !== "Succeeded" && p.status.phase !== "Failed",
    );
    const ports = svc.spec.ports ?? [];
    // Endpoints: group by resolved port set, as the real controller's subsets do.
    const subsets = new Map<string, { addresses: unknown[]; notReadyAddresses: unknown[]; ports: PortMap[] }>();
    const sliceEndpoints: unknown[] = [];
    let slicePorts: PortMap[] | undefined;
    for (const p of [...pods].sort((a, b) => (a.status!.podIP! < b.status!.podIP! ? -1 : 1))) {
      const terminating = Boolean(p.metadata.deletionTimestamp);
      const ready = isPodReady(p) && !terminating;
      // Terminating pods leave Endpoints at once, and stay in slices as terminating.
      const pm: PortMap[] = [];
      for (const sp of ports) {
        const port = resolvePort(sp, p);
        if (port !== undefined) pm.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? "TCP" });
      }
      if (ports.length && !pm.length) continue;
      const addr = {
        ip: p.status!.podIP!,
        nodeName: p.spec.nodeName,
        targetRef: { kind: "Pod", name: p.metadata.name, namespace: ns, uid: p.metadata.uid },
      };
      if (!terminating) {
        const k = JSON.stringify(pm);
        const s = subsets.get(k) ?? { addresses: [], notReadyAddresses: [], ports: pm };
        if (ready || svc.spec.publishNotReadyAddresses) s.addresses.push(addr);
        else s.notReadyAddresses.push(addr);
        subsets.set(k, s);
      }
      slicePorts ??= pm;
      sliceEndpoints.push({
        addresses: [p.status!.podIP!],
        conditions: { ready: ready || Boolean(svc.spec.publishNotReadyAddresses), serving: isPodReady(p), terminating },
        nodeName: p.spec.nodeName,
        targetRef: { kind: "Pod", name: p.metadata.name, namespace: ns, uid: p.metadata.uid },
      });
    }
    const epSubsets = [...subsets.values()].map((s) => ({
      ...(s.addresses.length ? { addresses: s.addresses } : {}),
      ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses } : {}),
      ports: s.ports,
    }));
    const labels = { ...(svc.metadata.labels ?? {}) };
    const ep: KubeObject = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name, namespace: ns, labels, annotations: { "endpoints.kubernetes.io/last-change-trigger-time": new Date(clock.now().getTime()).toISOString().replace(/\.\d{3}Z$/, "Z") } },
      ...(epSubsets.length ? { subsets: epSubsets } : {}),
    };
    if (!Object.keys(labels).length) delete ep.metadata.labels;
    const cur = store.get("endpoints", ns, name);
    if (!cur) store.create("endpoints", ep);
    else if (JSON.stringify(cur.subsets ?? null) !== JSON.stringify(ep.subsets ?? null) || JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(ep.metadata.labels ?? {})) {
      store.update("endpoints", { ...ep, metadata: { ...cur.metadata, labels: ep.metadata.labels, annotations: ep.metadata.annotations } }, { force: true });
    }

    const slices = store.list(SLICES, { namespace: ns }).items.filter((s) => {
      const l = s.metadata.labels ?? {};
      return l["kubernetes.io/service-name"] === name && l["endpointslice.kubernetes.io/managed-by"] === MANAGED_BY;
    });
    const sliceBody = {
      addressType: "IPv4",
      endpoints: sliceEndpoints.length ? sliceEndpoints : null,
      ports: slicePorts ?? (ports.length ? [] : null),
    };
    const sliceLabels = { ...(svc.metadata.labels ?? {}), "endpointslice.kubernetes.io/managed-by": MANAGED_BY, "kubernetes.io/service-name": name };
    const first = slices[0];
    if (!first) {
      store.create(SLICES, {
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        metadata: { name: `${name}-${randomSuffix()}`, namespace: ns, labels: sliceLabels, ownerReferences: [ownerRefTo(svc)] },
        ...sliceBody,
      });
    } else {
      const next = { ...first, ...sliceBody, metadata: { ...first.metadata, labels: sliceLabels } };
      if (JSON.stringify([first.endpoints, first.ports, first.metadata.labels]) !== JSON.stringify([next.endpoints, next.ports, next.metadata.labels])) {
        store.update(SLICES, next, { force: true });
      }
      for (const extra of slices.slice(1)) store.purge(SLICES, ns, extra.metadata.name ?? "");
    }
  }

  const queue = createWorkQueue(clock, "endpoints", reconcile);
  const stops = [
    store.watch("services", {}, (e) => queue.add(nsKey(e.object.metadata.namespace, e.object.metadata.name))),
    store.watch("pods", {}, (e) => {
      const ns = e.object.metadata.namespace;
      for (const s of store.list("services", { namespace: ns }).items as Service[]) {
        const sel = s.spec.selector;
        if (sel && Object.keys(sel).length && Object.entries(sel).every(([k, v]) => e.object.metadata.labels?.[k] === v)) queue.add(nsKey(ns, s.metadata.name));
      }
    }),
  ];
  for (const s of store.list("services").items) queue.add(nsKey(s.metadata.namespace, s.metadata.name));
  return {
    stop() {
      for (const s of stops) s();
      queue.stop();
    },
  };
}
