import { RESOURCE_TYPES, type ResourceType } from "../store/resource-types";

/**
 * Discovery documents built from RESOURCE_TYPES: the legacy ones (/api, /apis, /api/v1,
 * /apis/<g>/<v>) and the aggregated v2 form kubectl 1.32 asks for first, which saves it one
 * request per group version on a cold cache.
 */

export const AGGREGATED_V2_CONTENT_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
export const AGGREGATED_V2BETA1_CONTENT_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

/** Subresources that a resource lists in discovery, with the kind they respond with. */
const SUBRESOURCE_KINDS: Record<string, { group: string; version: string; kind: string; verbs: string[] }> = {
  status: { group: "", version: "", kind: "", verbs: ["get", "patch", "update"] },
  scale: { group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] },
  log: { group: "", version: "v1", kind: "Pod", verbs: ["get"] },
  binding: { group: "", version: "v1", kind: "Binding", verbs: ["create"] },
  eviction: { group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] },
  exec: { group: "", version: "v1", kind: "PodExecOptions", verbs: ["create", "get"] },
  attach: { group: "", version: "v1", kind: "PodAttachOptions", verbs: ["create", "get"] },
  portforward: { group: "", version: "v1", kind: "PodPortForwardOptions", verbs: ["create", "get"] },
  proxy: { group: "", version: "v1", kind: "NodeProxyOptions", verbs: ["create", "delete", "get", "patch", "update"] },
  finalize: { group: "", version: "v1", kind: "Namespace", verbs: ["update"] },
  token: { group: "authentication.k8s.io", version: "v1", kind: "TokenRequest", verbs: ["create"] },
  approval: { group: "", version: "", kind: "", verbs: ["get", "patch", "update"] },
  ephemeralcontainers: { group: "", version: "v1", kind: "Pod", verbs: ["get", "patch", "update"] },
};

interface GroupVersion {
  group: string;
  version: string;
  types: ResourceType[];
}

function groupVersions(): GroupVersion[] {
  const map = new Map<string, GroupVersion>();
  for (const t of RESOURCE_TYPES) {
    const k = `${t.group}/${t.version}`;
    let gv = map.get(k);
    if (!gv) map.set(k, (gv = { group: t.group, version: t.version, types: [] }));
    gv.types.push(t);
  }
  return [...map.values()];
}

const GVS = groupVersions();

export function apiVersions(serverAddress: string): object {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupDoc(group: string): object {
  const versions = GVS.filter((g) => g.group === group).map((g) => ({ groupVersion: `${group}/${g.version}`, version: g.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(): object {
  const groups = [...new Set(GVS.filter((g) => g.group).map((g) => g.group))];
  return { kind: "APIGroupList", apiVersion: "v1", groups: groups.map(groupDoc) };
}

export function apiGroup(group: string): object | undefined {
  if (!GVS.some((g) => g.group === group)) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupDoc(group) };
}

export function apiResourceList(group: string, version: string): object | undefined {
  const gv = GVS.find((g) => g.group === group && g.version === version);
  if (!gv) return undefined;
  const resources: object[] = [];
  for (const t of gv.types) {
    resources.push({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
      storageVersionHash: "",
    });
    for (const s of t.subresources ?? []) {
      const sk = SUBRESOURCE_KINDS[s];
      if (!sk) continue;
      resources.push({
        name: `${t.resource}/${s}`,
        singularName: "",
        namespaced: t.namespaced,
        ...(sk.kind ? { group: sk.group || undefined, version: sk.version } : {}),
        kind: sk.kind || t.kind,
        verbs: sk.verbs,
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${version}` : version, resources };
}

function discoveryResource(t: ResourceType): object {
  return {
    resource: t.resource,
    responseKind: { group: t.group, version: t.version, kind: t.kind },
    scope: t.namespaced ? "Namespaced" : "Cluster",
    singularResource: t.singular,
    verbs: t.verbs,
    ...(t.shortNames ? { shortNames: t.shortNames } : {}),
    ...(t.categories ? { categories: t.categories } : {}),
    subresources: (t.subresources ?? [])
      .filter((s) => SUBRESOURCE_KINDS[s])
      .map((s) => {
        const sk = SUBRESOURCE_KINDS[s]!;
        return {
          subresource: s,
          responseKind: sk.kind ? { group: sk.group, version: sk.version, kind: sk.kind } : { group: t.group, version: t.version, kind: t.kind },
          verbs: sk.verbs,
        };
      }),
  };
}

/** Aggregated discovery (apidiscovery.k8s.io/v2 APIGroupDiscoveryList) for /api or /apis. */
export function aggregatedDiscovery(legacy: boolean, apiVersion = "apidiscovery.k8s.io/v2"): object {
  const groups = legacy ? [""] : [...new Set(GVS.filter((g) => g.group).map((g) => g.group))];
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion,
    metadata: {},
    items: groups.map((group) => ({
      metadata: group ? { name: group } : {},
      versions: GVS.filter((g) => g.group === group).map((gv) => ({
        version: gv.version,
        resources: gv.types.map(discoveryResource),
        freshness: "Current",
      })),
    })),
  };
}
