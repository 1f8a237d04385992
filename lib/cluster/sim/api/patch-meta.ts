/**
 * Strategic-merge-patch metadata for the built-in kinds, as data: which lists merge by which key
 * (`patchMergeKey`/`patchStrategy:"merge"` tags in k8s.io/api), which lists of primitives merge as
 * sets, and which fields `$retainKeys` applies to. Lists not named here are atomic (replaced),
 * which is what the Go structs say for them too (tolerations, args, command, taints, …).
 */

export interface FieldMeta {
  /** A list whose object items merge by this key. */
  mergeKey?: string;
  /** A list of primitives that merges as a set (finalizers). */
  primitiveMerge?: boolean;
  /** Schema of the value (an object) or of each item (a list) or of each map value (`map`). */
  fields?: Schema;
  /** The value is a map whose values have this schema. */
  mapValues?: Schema;
}

export type Schema = { [field: string]: FieldMeta };

const probe: Schema = {};

const container: Schema = {
  ports: { mergeKey: "containerPort" },
  env: { mergeKey: "name" },
  volumeMounts: { mergeKey: "mountPath" },
  volumeDevices: { mergeKey: "devicePath" },
  resources: { fields: { claims: { mergeKey: "name" } } },
  livenessProbe: { fields: probe },
  readinessProbe: { fields: probe },
  startupProbe: { fields: probe },
};

const podSpec: Schema = {
  containers: { mergeKey: "name", fields: container },
  initContainers: { mergeKey: "name", fields: container },
  ephemeralContainers: { mergeKey: "name", fields: container },
  volumes: { mergeKey: "name" },
  imagePullSecrets: { mergeKey: "name" },
  hostAliases: { mergeKey: "ip" },
  topologySpreadConstraints: { mergeKey: "topologyKey" },
  resourceClaims: { mergeKey: "name" },
  schedulingGates: { mergeKey: "name" },
};

const objectMeta: Schema = {
  finalizers: { primitiveMerge: true },
  ownerReferences: { mergeKey: "uid" },
};

const conditions: FieldMeta = { mergeKey: "type" };

const podTemplate: Schema = { metadata: { fields: objectMeta }, spec: { fields: podSpec } };

const podStatus: Schema = {
  conditions,
  podIPs: { mergeKey: "ip" },
  hostIPs: { mergeKey: "ip" },
  resourceClaimStatuses: { mergeKey: "name" },
};

const workloadStatus: Schema = { conditions };

function kind(spec: Schema, status: Schema = {}, extra: Schema = {}): Schema {
  return { metadata: { fields: objectMeta }, spec: { fields: spec }, status: { fields: status }, ...extra };
}

const PATCH_META: Record<string, Schema> = {
  Pod: kind(podSpec, podStatus),
  PodTemplate: { metadata: { fields: objectMeta }, template: { fields: podTemplate } },
  Deployment: kind({ template: { fields: podTemplate } }, workloadStatus),
  ReplicaSet: kind({ template: { fields: podTemplate } }, workloadStatus),
  DaemonSet: kind({ template: { fields: podTemplate } }, workloadStatus),
  StatefulSet: kind({ template: { fields: podTemplate } }, workloadStatus),
  Job: kind({ template: { fields: podTemplate } }, workloadStatus),
  ReplicationController: kind({ template: { fields: podTemplate } }, workloadStatus),
  CronJob: kind({ jobTemplate: { fields: { metadata: { fields: objectMeta }, spec: { fields: { template: { fields: podTemplate } } } } } }),
  HorizontalPodAutoscaler: kind({}, { conditions }),
  PodDisruptionBudget: kind({}, { conditions }),
  Service: kind({ ports: { mergeKey: "port" } }, { conditions }),
  Node: kind({ podCIDRs: { primitiveMerge: true } }, { conditions, addresses: { mergeKey: "type" } }),
  Namespace: kind({}, { conditions }),
  PersistentVolumeClaim: kind({}, { conditions }),
  PersistentVolume: kind({}, {}),
  Endpoints: { metadata: { fields: objectMeta } },
  ServiceAccount: { metadata: { fields: objectMeta }, secrets: { mergeKey: "name" } },
};

const GENERIC: Schema = { metadata: { fields: objectMeta } };

/** The SMP schema of a built-in kind; unknown kinds merge only metadata specially. */
export function patchMetaFor(kind: string): Schema {
  return PATCH_META[kind] ?? GENERIC;
}

