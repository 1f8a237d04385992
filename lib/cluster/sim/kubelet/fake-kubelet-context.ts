/**
 * A KubeletContext over a real ObjectStore and SimClock with an event list, for the unit tests
 * of the kubelet's parts. Use it under vitest's fake timers so the SimClock can be advanced.
 */
import { SimClock } from "../clock";
import type { EventInput } from "../contracts";
import type { Node, Pod } from "../controllers/api-types";
import { ObjectStore } from "../store/object-store";
import { RESOURCE_TYPES } from "../store/resource-types";
import type { KubeletContext } from "./kubelet-context";
import { createKubeletJournal } from "./kubelet-journal";
import type { KubeletHooks } from "./kubelet-seams";
import type { PodNetwork } from "./pod-network";

export interface FakeKubeletContext extends KubeletContext {
  recorded: EventInput[];
  /** "Type Reason message" of every event recorded so far. */
  eventLines(): string[];
}

export function fakeKubeletContext(opts: { nodeName?: string; hooks?: KubeletHooks; network?: PodNetwork; namespaces?: string[] } = {}): FakeKubeletContext {
  const clock = new SimClock();
  const store = new ObjectStore(RESOURCE_TYPES, () => clock.now());
  for (const ns of opts.namespaces ?? ["default", "kube-node-lease"]) store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  const recorded: EventInput[] = [];
  return {
    store,
    clock,
    events: { record: (e) => void recorded.push(e) },
    nodeName: opts.nodeName ?? "kind-worker",
    hooks: opts.hooks,
    network: opts.network,
    journal: createKubeletJournal(clock),
    process: { running: true, stopped: false, networkReady: true, apiFault: null },
    pods: new Map(),
    now: () => clock.now().getTime(),
    recorded,
    eventLines: () => recorded.map((e) => `${e.type} ${e.reason} ${e.message}`),
  };
}

export function createNode(ctx: KubeletContext, extra: { internalIP?: string; podCIDR?: string } = {}): Node {
  return ctx.store.create("nodes", {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: ctx.nodeName },
    spec: { podCIDR: extra.podCIDR ?? "10.244.1.0/24" },
    status: { addresses: [{ type: "InternalIP", address: extra.internalIP ?? "172.18.0.3" }] },
  }) as Node;
}

export function testPod(name: string, spec: Partial<Pod["spec"]> = {}, namespace = "default"): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, uid: `uid-${name}` },
    spec: { containers: [{ name, image: "busybox:1.36" }], ...spec },
  };
}
