import type { ResourceType } from "../../store/resource-types";
import type { KubeObject } from "../../store/types";
import { hpaV1ToV2, hpaV2ToV1 } from "../hpa-versions";
import { asObject } from "./json-object";

function isEventsV1(rt: ResourceType): boolean {
  return rt.storageOf === "events" && rt.group === "events.k8s.io";
}

function isHpaV1(rt: ResourceType): boolean {
  return rt.group === "autoscaling" && rt.version === "v1" && rt.resource === "horizontalpodautoscalers";
}

/** Objects in storage keep the stored apiVersion/kind; events.k8s.io and autoscaling/v1 reads get their own shape. */
export function asServed(rt: ResourceType, obj: KubeObject): KubeObject {
  if (isEventsV1(rt)) return coreEventToEventsV1(obj);
  if (isHpaV1(rt)) return hpaV2ToV1(obj);
  return obj;
}

/** The object as storage keeps it: an events.k8s.io/v1 Event written through that group becomes a core Event. */
export function asStored(rt: ResourceType, obj: KubeObject): KubeObject {
  if (isEventsV1(rt)) return eventsV1ToCoreEvent(obj);
  if (isHpaV1(rt)) return hpaV1ToV2({ ...obj, apiVersion: "autoscaling/v1" });
  return obj;
}

/** core/v1 Event → events.k8s.io/v1 Event (same storage, different field names). */
function coreEventToEventsV1(e: KubeObject): KubeObject {
  const src = asObject(e.source);
  return {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    reportingController: e.reportingComponent || src.component || undefined,
    reportingInstance: e.reportingInstance || src.host || undefined,
    action: e.action,
    reason: e.reason,
    regarding: e.involvedObject,
    related: e.related,
    note: e.message,
    type: e.type,
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
    ...(e.series ? { series: e.series } : {}),
  };
}

function eventsV1ToCoreEvent(e: KubeObject): KubeObject {
  if (e.apiVersion === "v1") return e;
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    eventTime: e.eventTime,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
    action: e.action,
    related: e.related,
    source: e.deprecatedSource ?? {},
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    ...(e.series ? { series: e.series } : {}),
  };
}
