import type { ResourceType } from "../../store/resource-types";
import type { KubeObject } from "../../store/types";
import { columnsFor, rowCells, type Table } from "../table-printers";
import type { RequestScope, RestApiDeps } from "./request-scope";
import { sendJson } from "./responses";

/**
 * How an object or a list goes back to the client: as itself, as a Table (kubectl get asks for
 * `as=Table`) or as PartialObjectMetadata (kubectl's metadata-only reads).
 */
export function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept);
}

function wantsPartialMetadata(accept: string): "PartialObjectMetadata" | "PartialObjectMetadataList" | null {
  if (/as=PartialObjectMetadataList/.test(accept)) return "PartialObjectMetadataList";
  if (/as=PartialObjectMetadata\b/.test(accept)) return "PartialObjectMetadata";
  return null;
}

export function sendObject(scope: RequestScope, code: number, obj: KubeObject): void {
  const { res, accept, deps, rt, query } = scope;
  if (wantsTable(accept)) return sendJson(res, code, resourceTable(deps, rt, [obj], String(deps.store.resourceVersion), query));
  const pm = wantsPartialMetadata(accept);
  if (pm) return sendJson(res, code, { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata });
  sendJson(res, code, obj);
}

export function sendList(scope: RequestScope, items: KubeObject[], rv: number): void {
  const { res, accept, deps, rt, query } = scope;
  if (wantsTable(accept)) return sendJson(res, 200, resourceTable(deps, rt, items, String(rv), query));
  const pm = wantsPartialMetadata(accept);
  if (pm) {
    return sendJson(res, 200, {
      kind: "PartialObjectMetadataList",
      apiVersion: "meta.k8s.io/v1",
      metadata: { resourceVersion: String(rv) },
      items: items.map((i) => ({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: i.metadata })),
    });
  }
  sendJson(res, 200, {
    kind: `${rt.kind}List`,
    apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version,
    metadata: { resourceVersion: String(rv) },
    items,
  });
}

/** A meta.k8s.io/v1 Table of the items; a watch sends the column definitions with its first event only. */
export function resourceTable(deps: RestApiDeps, rt: ResourceType, items: KubeObject[], rv: string, q: URLSearchParams, withColumns = true): Table {
  const include = q.get("includeObject") ?? "PartialObjectMetadata";
  const now = deps.clock.now();
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion: rv },
    columnDefinitions: withColumns ? columnsFor(rt.kind) : [],
    rows: items.map((i) => ({
      cells: rowCells(i, now),
      ...(include === "None"
        ? {}
        : {
            object:
              include === "Object" ? i : { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: i.metadata },
          }),
    })),
  };
}
