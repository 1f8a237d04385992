import { z } from "zod";

/**
 * The parts of pods, events, EndpointSlices and nodes that the timeline reads, parsed with zod at
 * the boundary. Watch events arrive as plain JSON (times as strings); client-node's list calls
 * deserialize times into Date objects. Both shapes are accepted and times become ISO strings.
 */
const time = z.union([z.string(), z.date().transform((d) => d.toISOString())]);
const optTime = time.nullish().transform((t) => t ?? undefined);

const meta = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  creationTimestamp: optTime,
  deletionTimestamp: optTime,
  deletionGracePeriodSeconds: z.number().nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
  ownerReferences: z.array(z.looseObject({ kind: z.string(), name: z.string() })).nullish(),
  managedFields: z.array(z.looseObject({ manager: z.string().optional(), operation: z.string().optional() })).nullish(),
});

const condition = z.looseObject({ type: z.string(), status: z.string(), reason: z.string().nullish(), message: z.string().nullish() });

const containerState = z.looseObject({
  waiting: z.looseObject({ reason: z.string().nullish(), message: z.string().nullish() }).nullish(),
  running: z.looseObject({ startedAt: optTime }).nullish(),
  terminated: z.looseObject({ reason: z.string().nullish(), exitCode: z.number().nullish(), signal: z.number().nullish() }).nullish(),
});

const containerStatus = z.looseObject({
  name: z.string(),
  ready: z.boolean().nullish(),
  started: z.boolean().nullish(),
  restartCount: z.number().nullish(),
  image: z.string().nullish(),
  imageID: z.string().nullish(),
  containerID: z.string().nullish(),
  state: containerState.nullish(),
});

export const podSchema = z.looseObject({
  metadata: meta,
  spec: z
    .looseObject({
      nodeName: z.string().nullish(),
      schedulerName: z.string().nullish(),
      terminationGracePeriodSeconds: z.number().nullish(),
    })
    .nullish(),
  status: z
    .looseObject({
      phase: z.string().nullish(),
      reason: z.string().nullish(),
      podIP: z.string().nullish(),
      conditions: z.array(condition).nullish(),
      containerStatuses: z.array(containerStatus).nullish(),
      initContainerStatuses: z.array(containerStatus).nullish(),
    })
    .nullish(),
});
export type TimelinePod = z.infer<typeof podSchema>;

/** core/v1 Event and events.k8s.io/v1 Event: the same object under two sets of field names. */
export const eventSchema = z.looseObject({
  metadata: meta,
  type: z.string().nullish(),
  reason: z.string().nullish(),
  message: z.string().nullish(),
  note: z.string().nullish(),
  count: z.number().nullish(),
  deprecatedCount: z.number().nullish(),
  firstTimestamp: optTime,
  lastTimestamp: optTime,
  deprecatedFirstTimestamp: optTime,
  deprecatedLastTimestamp: optTime,
  eventTime: optTime,
  series: z.looseObject({ count: z.number().nullish(), lastObservedTime: optTime }).nullish(),
  source: z.looseObject({ component: z.string().nullish(), host: z.string().nullish() }).nullish(),
  deprecatedSource: z.looseObject({ component: z.string().nullish(), host: z.string().nullish() }).nullish(),
  reportingComponent: z.string().nullish(),
  reportingController: z.string().nullish(),
  reportingInstance: z.string().nullish(),
  involvedObject: z.looseObject({ kind: z.string().nullish(), name: z.string().nullish(), namespace: z.string().nullish(), fieldPath: z.string().nullish() }).nullish(),
  regarding: z.looseObject({ kind: z.string().nullish(), name: z.string().nullish(), namespace: z.string().nullish(), fieldPath: z.string().nullish() }).nullish(),
});
export type TimelineEvent = z.infer<typeof eventSchema>;

export const endpointSliceSchema = z.looseObject({
  metadata: meta,
  endpoints: z
    .array(
      z.looseObject({
        addresses: z.array(z.string()),
        conditions: z.looseObject({ ready: z.boolean().nullish(), serving: z.boolean().nullish(), terminating: z.boolean().nullish() }).nullish(),
        targetRef: z.looseObject({ kind: z.string().nullish(), name: z.string().nullish(), namespace: z.string().nullish() }).nullish(),
        nodeName: z.string().nullish(),
      }),
    )
    .nullish(),
});
export type TimelineEndpointSlice = z.infer<typeof endpointSliceSchema>;

export const nodeSchema = z.looseObject({
  metadata: meta,
  spec: z.looseObject({ unschedulable: z.boolean().nullish(), taints: z.array(z.looseObject({ key: z.string(), effect: z.string(), value: z.string().nullish() })).nullish() }).nullish(),
  status: z.looseObject({ conditions: z.array(condition).nullish() }).nullish(),
});
export type TimelineNode = z.infer<typeof nodeSchema>;

export type TimelineResource = "pods" | "events" | "endpointslices" | "nodes";
