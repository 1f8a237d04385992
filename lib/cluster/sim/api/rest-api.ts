import { createHmac, randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import jsonpatch, { type Operation } from "fast-json-patch";
import YAML from "yaml";
import type { SimClock } from "../clock";
import type { LogSource } from "../contracts";
import type { ObjectStore } from "../store/object-store";
import { groupResource, storageKey, type ResourceType } from "../store/resource-types";
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "../store/selectors";
import {
  badRequest,
  conflict,
  forbidden,
  internalError,
  invalid,
  methodNotAllowed,
  notFound,
  pathNotFound,
  StatusError,
  unsupportedMediaType,
  type Status,
} from "../store/status-error";
import type { KubeObject, StoreEvent } from "../store/types";
import { applyCreateDefaults, applyUpdateDefaults } from "./defaults";
import {
  aggregatedDiscovery,
  AGGREGATED_V2_CONTENT_TYPE,
  AGGREGATED_V2BETA1_CONTENT_TYPE,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from "./discovery";
import { openApiV3Document, openApiV3Index } from "./openapi";
import { patchMetaFor } from "./patch-meta";
import { decodeKubernetesProtobuf } from "./protobuf-decode";
import { parseResourcePath, type ResourceTarget } from "./request-target";
import { applyMergePatch, applyStrategicMergePatch } from "./strategic-merge-patch";
import { columnsFor, rowCells, type Table } from "./table-printers";
import { unknownFields } from "./unknown-fields";
import { validateObject, validateUpdate } from "./validate";

/**
 * The REST layer of the sim kube-apiserver: routes a request to discovery, health, OpenAPI or a
 * resource, and turns the store's answers into the JSON (or Table) a real apiserver returns.
 * Authentication happens before this (api-server.ts); every caller here is already a user.
 */

export interface User {
  name: string;
  groups: string[];
}

export interface RestApiDeps {
  store: ObjectStore;
  clock: SimClock;
  /** Where pod logs come from (the kubelets); absent until the kubelet model is wired in. */
  logs?: () => LogSource | undefined;
  /** host:port shown in /api's serverAddressByClientCIDRs. */
  serverAddress: () => string;
  gitVersion: string;
  /** A failing backend (etcd unreachable): health checks fail, requests time out. */
  backendFailure: () => BackendFailure | null;
}

export interface BackendFailure {
  /** How long a request hangs before the 504 (the real apiserver's request timeout is 60 s). */
  delayMs: number;
}

const MAX_BODY = 3 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 60_000;

type J = Record<string, unknown>;
const o = (v: unknown): J => (v && typeof v === "object" && !Array.isArray(v) ? (v as J) : {});

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(badRequest("request body too large"), {}));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseBody(buf: Buffer, contentType: string): unknown {
  if (contentType.includes("application/vnd.kubernetes.protobuf")) return buf.length ? decodeKubernetesProtobuf(buf) : undefined;
  const text = buf.toString("utf8");
  if (!text.trim()) return undefined;
  try {
    if (/yaml/.test(contentType)) return YAML.parse(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the object provided is unrecognized (must be of type JSON): ${(e as Error).message}`);
  }
}

function sendJson(res: ServerResponse, code: number, body: unknown, contentType = "application/json"): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-cache, private" });
  res.end(text);
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text), "X-Content-Type-Options": "nosniff" });
  res.end(text);
}

export function sendStatus(res: ServerResponse, err: StatusError): void {
  sendJson(res, err.code, err.status);
}

function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept);
}

function wantsPartialMetadata(accept: string): "PartialObjectMetadata" | "PartialObjectMetadataList" | null {
  if (/as=PartialObjectMetadataList/.test(accept)) return "PartialObjectMetadataList";
  if (/as=PartialObjectMetadata\b/.test(accept)) return "PartialObjectMetadata";
  return null;
}

function verbFor(method: string, t: ResourceTarget, watch: boolean): string {
  switch (method) {
    case "GET":
      return watch ? "watch" : t.name ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return t.name ? "delete" : "deletecollection";
  }
  return method.toLowerCase();
}

function successStatus(rt: ResourceType, obj: KubeObject): J {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { name: obj.metadata.name, ...(rt.group ? { group: rt.group } : {}), kind: rt.resource, uid: obj.metadata.uid },
  };
}

const HEALTH_CHECKS = [
  "ping",
  "log",
  "etcd",
  "etcd-readiness",
  "informer-sync",
  "poststarthook/start-apiserver-admission-initializer",
  "poststarthook/generic-apiserver-start-informers",
  "poststarthook/priority-and-fairness-config-consumer",
  "poststarthook/priority-and-fairness-filter",
  "poststarthook/storage-object-count-tracker-hook",
  "poststarthook/start-apiextensions-informers",
  "poststarthook/start-apiextensions-controllers",
  "poststarthook/crd-informer-synced",
  "poststarthook/start-system-namespaces-controller",
  "poststarthook/start-cluster-authentication-info-controller",
  "poststarthook/start-kube-apiserver-identity-lease-controller",
  "poststarthook/start-kube-apiserver-identity-lease-garbage-collector",
  "poststarthook/start-legacy-token-tracking-controller",
  "poststarthook/start-service-ip-repair-controllers",
  "poststarthook/rbac/bootstrap-roles",
  "poststarthook/scheduling/bootstrap-system-priority-classes",
  "poststarthook/priority-and-fairness-config-producer",
  "poststarthook/bootstrap-controller",
  "poststarthook/aggregator-reload-proxy-client-cert",
  "poststarthook/start-kube-aggregator-informers",
  "poststarthook/apiservice-status-local-available-controller",
  "poststarthook/apiservice-status-remote-available-controller",
  "poststarthook/apiservice-registration-controller",
  "poststarthook/apiservice-discovery-controller",
  "poststarthook/kube-apiserver-autoregistration",
  "autoregister-completion",
  "poststarthook/apiservice-openapi-controller",
  "poststarthook/apiservice-openapiv3-controller",
];
const LIVEZ_EXCLUDE = new Set(["informer-sync", "etcd-readiness"]);

export class RestApi {
  constructor(private readonly deps: RestApiDeps) {}

  private now(): Date {
    return this.deps.clock.now();
  }

  /** Serves one request. Never throws: every failure becomes a Status response. */
  async handle(req: IncomingMessage, res: ServerResponse, user: User): Promise<void> {
    const url = new URL(req.url ?? "/", "https://sim");
    try {
      await this.route(req, res, url, user);
    } catch (err) {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (err instanceof StatusError) sendStatus(res, err);
      else sendStatus(res, internalError(err instanceof Error ? err.message : String(err)));
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL, user: User): Promise<void> {
    const p = url.pathname.replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";
    if (p === "/healthz" || p === "/livez" || p === "/readyz" || /^\/(healthz|livez|readyz)\//.test(p)) return this.health(res, p, url);
    if (p === "/version") {
      return sendJson(res, 200, {
        major: "1",
        minor: this.deps.gitVersion.split(".")[1] ?? "32",
        gitVersion: this.deps.gitVersion,
        gitCommit: "5d3f0a1d2cd8fa5a4b3d9e7c7e1f4b0d5a6c2e11",
        gitTreeState: "clean",
        buildDate: "2025-04-22T16:00:00Z",
        goVersion: "go1.23.8",
        compiler: "gc",
        platform: "linux/amd64",
      });
    }
    if (p === "/openapi/v3") return sendJson(res, 200, openApiV3Index());
    if (p.startsWith("/openapi/v3/")) {
      const doc = openApiV3Document(p.slice("/openapi/v3/".length));
      if (!doc) throw pathNotFound();
      return sendJson(res, 200, doc);
    }
    const segs = p.split("/").filter(Boolean);
    const accept = String(req.headers.accept ?? "");
    if (p === "/api" || p === "/apis") {
      if (accept.includes("as=APIGroupDiscoveryList")) {
        const v2 = accept.includes("v=v2;") || accept.includes("v=v2,") || /v=v2(;|,|$)/.test(accept);
        const ct = v2 ? AGGREGATED_V2_CONTENT_TYPE : AGGREGATED_V2BETA1_CONTENT_TYPE;
        return sendJson(res, 200, aggregatedDiscovery(p === "/api", v2 ? "apidiscovery.k8s.io/v2" : "apidiscovery.k8s.io/v2beta1"), ct);
      }
      return sendJson(res, 200, p === "/api" ? apiVersions(this.deps.serverAddress()) : apiGroupList());
    }
    if (segs[0] === "apis" && segs.length === 2) {
      const g = apiGroup(segs[1]!);
      if (!g) throw pathNotFound();
      return sendJson(res, 200, g);
    }
    if ((segs[0] === "api" && segs.length === 2) || (segs[0] === "apis" && segs.length === 3)) {
      const list = segs[0] === "api" ? apiResourceList("", segs[1]!) : apiResourceList(segs[1]!, segs[2]!);
      if (!list) throw pathNotFound();
      return sendJson(res, 200, list);
    }
    if (segs[0] !== "api" && segs[0] !== "apis") throw pathNotFound();
    // Discovery and OpenAPI are served from memory; resources need etcd.
    const failure = this.deps.backendFailure();
    if (failure) {
      await new Promise((r) => setTimeout(r, failure.delayMs));
      // An empty 504: client-go then prints "the server was unable to return a response in the time allotted …".
      res.writeHead(504, { "Content-Length": 0 });
      res.end();
      return;
    }
    const target = parseResourcePath(segs);
    if (!target) throw pathNotFound();
    const watch = url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1";
    const verb = verbFor(method, target, watch);
    if (!target.subresource && !target.rt.verbs.includes(verb)) {
      throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
    return this.resource(req, res, url, target, verb, user);
  }

  private health(res: ServerResponse, p: string, url: URL): void {
    const [, kind, single] = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(p) ?? [];
    const failing = this.deps.backendFailure() !== null;
    const checks = HEALTH_CHECKS.filter((c) => kind !== "livez" || !LIVEZ_EXCLUDE.has(c));
    const bad = (c: string) => failing && (c === "etcd" || c === "etcd-readiness");
    if (single) {
      if (!checks.includes(single)) return sendText(res, 404, "404 page not found\n");
      return bad(single) ? sendText(res, 500, "internal server error: etcd client connection not yet established\n") : sendText(res, 200, "ok");
    }
    const anyBad = checks.some(bad);
    const verbose = url.searchParams.has("verbose") || anyBad;
    if (!verbose) return sendText(res, 200, "ok");
    const lines = checks.map((c) => (bad(c) ? `[-]${c} failed: reason withheld` : `[+]${c} ok`));
    lines.push(anyBad ? `${kind} check failed` : `${kind} check passed`);
    return sendText(res, anyBad ? 500 : 200, lines.join("\n") + "\n");
  }

  private async resource(req: IncomingMessage, res: ServerResponse, url: URL, t: ResourceTarget, verb: string, user: User): Promise<void> {
    const { rt } = t;
    const key = storageKey(rt);
    const q = url.searchParams;
    const accept = String(req.headers.accept ?? "");
    const ns = rt.namespaced ? t.namespace : undefined;

    if (rt.virtual) return this.virtualResource(req, res, t, user);
    if (t.subresource) return this.subresource(req, res, url, t, key);

    const dryRun = q.getAll("dryRun").includes("All");
    switch (verb) {
      case "get": {
        const obj = this.deps.store.mustGet(key, ns, t.name!);
        return this.sendObject(res, 200, rt, obj, accept, q);
      }
      case "list": {
        const { items, resourceVersion } = this.deps.store.list(key, {
          namespace: ns,
          labelSelector: parseLabelSelector(q.get("labelSelector")),
          fieldSelector: parseFieldSelector(q.get("fieldSelector")),
        });
        return this.sendList(res, rt, items.map((i) => this.asServed(rt, i)), resourceVersion, accept, q);
      }
      case "watch":
        return this.watch(req, res, rt, key, ns, t.name, accept, q);
      case "create": {
        const body = await this.objectBody(req, rt, ns);
        if (t.name) throw methodNotAllowed("the server does not allow this method on the requested resource");
        checkUnknownFields(rt, body, q, res, false);
        const created = this.create(rt, key, body, ns, dryRun);
        return this.sendObject(res, 201, rt, created, accept, q);
      }
      case "update": {
        const body = await this.objectBody(req, rt, ns);
        if (body.metadata.name && body.metadata.name !== t.name) {
          throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${t.name})`);
        }
        body.metadata.name = t.name;
        checkUnknownFields(rt, body, q, res, false);
        const cur = this.deps.store.get(key, ns, t.name!);
        if (!cur) {
          // PUT to a missing object creates it for kinds that allow create-on-update (most do not).
          throw notFound(rt, t.name!);
        }
        const updated = this.update(rt, key, body, cur, dryRun);
        return this.sendObject(res, 200, rt, updated, accept, q);
      }
      case "patch": {
        const cur = this.deps.store.mustGet(key, ns, t.name!);
        const patched = await this.applyPatchBody(req, rt, cur);
        checkUnknownFields(rt, patched, q, res, true);
        const updated = this.update(rt, key, patched, cur, dryRun);
        return this.sendObject(res, 200, rt, updated, accept, q);
      }
      case "delete": {
        const body = o(parseBody(await readBody(req), String(req.headers["content-type"] ?? "")));
        const grace = q.get("gracePeriodSeconds") ?? body.gracePeriodSeconds;
        const policy = (q.get("propagationPolicy") ?? body.propagationPolicy ?? (body.orphanDependents === true ? "Orphan" : undefined)) as
          | "Foreground"
          | "Background"
          | "Orphan"
          | undefined;
        const pre = o(body.preconditions);
        if (key === "namespaces" && ["default", "kube-system", "kube-public"].includes(t.name!)) {
          throw forbidden(`namespaces "${t.name}" is forbidden: this namespace may not be deleted`);
        }
        if (dryRun) {
          const cur = this.deps.store.mustGet(key, ns, t.name!);
          return this.sendObject(res, 200, rt, cur, accept, q);
        }
        const { object, gone } = this.deps.store.delete(key, ns, t.name!, {
          gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
          propagationPolicy: policy,
          preconditions: Object.keys(pre).length ? { uid: pre.uid as string | undefined, resourceVersion: pre.resourceVersion as string | undefined } : undefined,
        });
        if (gone && key !== "pods" && key !== "namespaces") return sendJson(res, 200, successStatus(rt, object));
        return this.sendObject(res, 200, rt, object, accept, q);
      }
      case "deletecollection": {
        const { items } = this.deps.store.list(key, {
          namespace: ns,
          labelSelector: parseLabelSelector(q.get("labelSelector")),
          fieldSelector: parseFieldSelector(q.get("fieldSelector")),
        });
        const grace = q.get("gracePeriodSeconds");
        for (const i of items) {
          try {
            this.deps.store.delete(key, i.metadata.namespace, i.metadata.name!, { gracePeriodSeconds: grace === null ? undefined : Number(grace) });
          } catch (e) {
            if (!(e instanceof StatusError && e.code === 404)) throw e;
          }
        }
        return this.sendList(res, rt, items, this.deps.store.resourceVersion, accept, q);
      }
    }
    throw methodNotAllowed("the server does not allow this method on the requested resource");
  }

  /** Objects in storage keep the stored apiVersion/kind; events.k8s.io reads get their own shape. */
  private asServed(rt: ResourceType, obj: KubeObject): KubeObject {
    if (rt.storageOf === "events" && rt.group === "events.k8s.io") return coreEventToEventsV1(obj);
    return obj;
  }

  private async objectBody(req: IncomingMessage, rt: ResourceType, ns: string | undefined): Promise<KubeObject> {
    const raw = parseBody(await readBody(req), String(req.headers["content-type"] ?? ""));
    const body = o(raw) as unknown as KubeObject;
    if (!raw || typeof raw !== "object") throw badRequest("Object 'Kind' is missing in '{}'");
    body.metadata = o(body.metadata) as KubeObject["metadata"];
    if (body.kind && body.kind !== rt.kind) {
      throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${rt.group ? `${rt.group}/` : ""}${rt.version})`);
    }
    if (rt.namespaced) {
      if (body.metadata.namespace && ns && body.metadata.namespace !== ns) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      body.metadata.namespace = ns ?? body.metadata.namespace;
    }
    delete body.metadata.managedFields;
    return body;
  }

  create(rt: ResourceType, key: string, body: KubeObject, ns: string | undefined, dryRun = false): KubeObject {
    if (rt.storageOf === "events" && rt.group === "events.k8s.io") body = eventsV1ToCoreEvent(body);
    const uid = randomUUID();
    body.metadata.uid = uid;
    if (rt.namespaced) body.metadata.namespace = ns ?? body.metadata.namespace ?? "default";
    applyCreateDefaults(key, body, { store: this.deps.store });
    if (!body.metadata.name && !body.metadata.generateName) {
      throw invalid(rt, "", [{ reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name" }]);
    }
    validateObject(rt, key, body.metadata.name ? body : { ...body, metadata: { ...body.metadata, name: `${body.metadata.generateName}x` } });
    if (dryRun) {
      const existing = body.metadata.name ? this.deps.store.get(key, body.metadata.namespace, body.metadata.name) : undefined;
      if (existing) this.deps.store.create(key, existing); // throws the real AlreadyExists
      return { ...body, metadata: { ...body.metadata, creationTimestamp: this.now().toISOString().replace(/\.\d{3}Z$/, "Z") } };
    }
    return this.asServed(rt, this.deps.store.create(key, body, { uid }));
  }

  private update(rt: ResourceType, key: string, next: KubeObject, cur: KubeObject, dryRun: boolean): KubeObject {
    if (rt.storageOf === "events" && rt.group === "events.k8s.io") next = eventsV1ToCoreEvent(next);
    next.metadata.namespace = cur.metadata.namespace;
    applyUpdateDefaults(key, next, cur);
    validateUpdate(rt, key, next, cur);
    if (next.metadata.uid && next.metadata.uid !== cur.metadata.uid) {
      throw conflict(rt, cur.metadata.name ?? "", `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${cur.metadata.uid}`);
    }
    if (dryRun) return next;
    return this.asServed(rt, this.deps.store.update(key, next));
  }

  private async applyPatchBody(req: IncomingMessage, rt: ResourceType, cur: KubeObject): Promise<KubeObject> {
    const ct = String(req.headers["content-type"] ?? "").split(";")[0]!.trim();
    const body = parseBody(await readBody(req), ct);
    let result: KubeObject;
    switch (ct) {
      case "application/json-patch+json": {
        if (!Array.isArray(body)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        try {
          result = jsonpatch.applyPatch(structuredClone(cur), body as Operation[], true, false).newDocument;
        } catch (e) {
          const msg = e instanceof Error ? e.message.split("\n")[0]! : String(e);
          throw Object.assign(
            new StatusError({
              kind: "Status",
              apiVersion: "v1",
              metadata: {},
              status: "Failure",
              message: `the server rejected our request due to an error in our request: ${msg}`,
              reason: "Invalid",
              code: 422,
            }),
            {},
          );
        }
        break;
      }
      case "application/merge-patch+json":
        result = applyMergePatch(cur, body);
        break;
      case "application/strategic-merge-patch+json":
        result = applyStrategicMergePatch(cur, body, patchMetaFor(rt.kind));
        break;
      case "application/apply-patch+yaml":
        throw unsupportedMediaType(ct);
      default:
        throw unsupportedMediaType(ct);
    }
    // A patch that names a resourceVersion is a precondition (kubectl apply sends none; edit does).
    const rv = o(o(body).metadata).resourceVersion;
    result.metadata ??= {};
    if (typeof rv === "string") result.metadata.resourceVersion = rv;
    else result.metadata.resourceVersion = cur.metadata.resourceVersion;
    return result;
  }

  private sendObject(res: ServerResponse, code: number, rt: ResourceType, obj: KubeObject, accept: string, q: URLSearchParams): void {
    if (wantsTable(accept)) return sendJson(res, code, this.table(rt, [obj], String(this.deps.store.resourceVersion), q));
    const pm = wantsPartialMetadata(accept);
    if (pm) return sendJson(res, code, { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata });
    sendJson(res, code, obj);
  }

  private sendList(res: ServerResponse, rt: ResourceType, items: KubeObject[], rv: number, accept: string, q: URLSearchParams): void {
    if (wantsTable(accept)) return sendJson(res, 200, this.table(rt, items, String(rv), q));
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

  private table(rt: ResourceType, items: KubeObject[], rv: string, q: URLSearchParams, withColumns = true): Table {
    const include = q.get("includeObject") ?? "PartialObjectMetadata";
    const now = this.now();
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

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    rt: ResourceType,
    key: string,
    ns: string | undefined,
    name: string | undefined,
    accept: string,
    q: URLSearchParams,
  ): Promise<void> {
    const fieldSelector = parseFieldSelector(q.get("fieldSelector"));
    if (name) fieldSelector.push({ field: "metadata.name", op: "=", value: name });
    const labelSelector = parseLabelSelector(q.get("labelSelector"));
    const rvParam = q.get("resourceVersion");
    const table = wantsTable(accept);
    const bookmarks = q.get("allowWatchBookmarks") === "true";
    const timeoutSeconds = Number(q.get("timeoutSeconds") ?? 0) || 1800;
    let lastRv = this.deps.store.resourceVersion;
    let first = true;

    res.writeHead(200, {
      "Content-Type": "application/json",
      "Transfer-Encoding": "chunked",
      "Cache-Control": "no-cache, private",
    });
    res.flushHeaders();
    const write = (type: string, object: unknown) => {
      res.write(JSON.stringify({ type, object }) + "\n");
    };
    const emit = (type: string, obj: KubeObject) => {
      const served = this.asServed(rt, obj);
      if (table) {
        write(type, this.table(rt, [served], served.metadata.resourceVersion ?? "", q, first));
        first = false;
      } else write(type, served);
    };

    return new Promise<void>((resolve) => {
      let stop: (() => void) | undefined;
      const timers: (() => void)[] = [];
      const finish = () => {
        stop?.();
        for (const t of timers) t();
        if (!res.writableEnded) res.end();
        resolve();
      };
      // Like the watch cache, a selector watch reports an object that starts matching as ADDED and
      // one that stops matching as DELETED, so it sees transitions rather than only matching states.
      const selective = labelSelector.length > 0 || fieldSelector.length > 0;
      const matches = (obj: KubeObject) =>
        (!labelSelector.length || matchesLabels(labelSelector, obj.metadata.labels)) && (!fieldSelector.length || matchesFields(fieldSelector, obj));
      const inSet = new Set<string>();
      const onEvent = (e: StoreEvent) => {
        lastRv = e.rv;
        if (!selective) return emit(e.type, e.object);
        const uid = e.object.metadata.uid ?? "";
        const now = e.type !== "DELETED" && matches(e.object);
        const was = inSet.has(uid);
        if (e.type === "DELETED") {
          if (was || matches(e.object)) emit("DELETED", e.object);
          inSet.delete(uid);
        } else if (now) {
          inSet.add(uid);
          emit(was ? e.type : "ADDED", e.object);
        } else if (was) {
          inSet.delete(uid);
          emit("DELETED", e.object);
        }
      };
      try {
        const current = this.deps.store.list(key, { namespace: ns, labelSelector, fieldSelector });
        for (const i of current.items) inSet.add(i.metadata.uid ?? "");
        if (!rvParam || rvParam === "0") {
          // "Get state and start at most recent": synthetic ADDED for what exists now.
          for (const i of current.items) emit("ADDED", i);
          lastRv = current.resourceVersion;
          stop = this.deps.store.watch(key, { namespace: ns, sinceRv: current.resourceVersion }, onEvent);
        } else {
          const since = Number(rvParam);
          if (!Number.isFinite(since)) throw badRequest(`invalid resource version "${rvParam}"`);
          stop = this.deps.store.watch(key, { namespace: ns, sinceRv: since }, onEvent);
        }
      } catch (e) {
        if (e instanceof StatusError) {
          // Errors after the 200 header travel as an ERROR event, as the real watch does.
          write("ERROR", e.status as Status);
        }
        finish();
        return;
      }
      const bookmark = () => {
        write("BOOKMARK", { kind: rt.kind, apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version, metadata: { resourceVersion: String(lastRv) } });
      };
      if (bookmarks) {
        const t = setInterval(bookmark, BOOKMARK_INTERVAL_MS);
        timers.push(() => clearInterval(t));
      }
      const timeout = setTimeout(finish, timeoutSeconds * 1000);
      timers.push(() => clearTimeout(timeout));
      req.on("close", finish);
      res.on("close", finish);
      // etcd switched data dirs: end the watch like a restarting apiserver drops it; the client's
      // resume from its old resourceVersion then gets 410 Expired and it re-lists.
      const unReset = this.deps.store.onReset(finish);
      timers.push(() => {
        unReset();
      });
    });
  }

  private async subresource(req: IncomingMessage, res: ServerResponse, url: URL, t: ResourceTarget, key: string): Promise<void> {
    const { rt } = t;
    const ns = rt.namespaced ? t.namespace : undefined;
    const method = req.method ?? "GET";
    const accept = String(req.headers.accept ?? "");
    const q = url.searchParams;
    const name = t.name!;
    switch (t.subresource) {
      case "status": {
        if (!rt.subresources?.includes("status")) throw pathNotFound();
        const cur = this.deps.store.mustGet(key, ns, name);
        if (method === "GET") return this.sendObject(res, 200, rt, cur, accept, q);
        let next: KubeObject;
        if (method === "PUT") next = await this.objectBody(req, rt, ns);
        else if (method === "PATCH") next = await this.applyPatchBody(req, rt, cur);
        else throw methodNotAllowed("the server does not allow this method on the requested resource");
        next.metadata.name = name;
        next.metadata.namespace = cur.metadata.namespace;
        const updated = this.deps.store.update(key, next, { subresource: "status" });
        return this.sendObject(res, 200, rt, updated, accept, q);
      }
      case "scale": {
        if (!rt.subresources?.includes("scale")) throw pathNotFound();
        const cur = this.deps.store.mustGet(key, ns, name);
        const scaleOf = (obj: KubeObject) => {
          const spec = o(obj.spec);
          const status = o(obj.status);
          const sel = o(spec.selector);
          const selector = Object.entries(o(sel.matchLabels))
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(",");
          return {
            kind: "Scale",
            apiVersion: "autoscaling/v1",
            metadata: {
              name: obj.metadata.name,
              namespace: obj.metadata.namespace,
              uid: obj.metadata.uid,
              resourceVersion: obj.metadata.resourceVersion,
              creationTimestamp: obj.metadata.creationTimestamp,
            },
            spec: { replicas: typeof spec.replicas === "number" ? spec.replicas : 1 },
            status: { replicas: typeof status.replicas === "number" ? status.replicas : 0, selector },
          };
        };
        if (method === "GET") return sendJson(res, 200, scaleOf(cur));
        let scale: J;
        const current = scaleOf(cur) as unknown as KubeObject;
        if (method === "PUT") scale = o(parseBody(await readBody(req), String(req.headers["content-type"] ?? "")));
        else if (method === "PATCH") scale = (await this.applyPatchBody(req, { ...rt, kind: "Scale" }, current)) as unknown as J;
        else throw methodNotAllowed("the server does not allow this method on the requested resource");
        const replicas = o(scale.spec).replicas;
        if (typeof replicas !== "number" || replicas < 0) {
          throw invalid({ group: "autoscaling", kind: "Scale" }, name, [
            { reason: "FieldValueInvalid", message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0`, field: "spec.replicas" },
          ]);
        }
        const wantRv = o(scale.metadata).resourceVersion;
        if (method === "PUT" && typeof wantRv === "string" && wantRv && wantRv !== cur.metadata.resourceVersion) throw conflict(rt, name);
        const next = structuredClone(cur);
        next.spec = { ...o(next.spec), replicas };
        const updated = this.deps.store.update(key, next);
        return sendJson(res, 200, scaleOf(updated));
      }
      case "log":
        if (key !== "pods") throw pathNotFound();
        return this.podLog(req, res, ns!, name, q);
      case "binding":
        if (key !== "pods" || method !== "POST") throw methodNotAllowed("the server does not allow this method on the requested resource");
        return this.bind(req, res, ns!, name);
      case "eviction": {
        if (key !== "pods" || method !== "POST") throw methodNotAllowed("the server does not allow this method on the requested resource");
        const body = o(parseBody(await readBody(req), String(req.headers["content-type"] ?? "")));
        const opts = o(body.deleteOptions);
        this.deps.store.delete("pods", ns, name, {
          gracePeriodSeconds: typeof opts.gracePeriodSeconds === "number" ? opts.gracePeriodSeconds : undefined,
        });
        return sendJson(res, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
      }
      case "finalize": {
        if (key !== "namespaces" || method !== "PUT") throw methodNotAllowed("the server does not allow this method on the requested resource");
        const body = await this.objectBody(req, rt, undefined);
        const cur = this.deps.store.mustGet(key, undefined, name);
        const next = structuredClone(cur);
        next.spec = { ...o(next.spec), finalizers: (o(body.spec).finalizers as string[] | undefined) ?? [] };
        const updated = this.deps.store.update(key, next, { force: true });
        return this.sendObject(res, 200, rt, updated, accept, q);
      }
      case "token": {
        if (key !== "serviceaccounts" || method !== "POST") throw methodNotAllowed("the server does not allow this method on the requested resource");
        const sa = this.deps.store.mustGet(key, ns, name);
        const body = o(parseBody(await readBody(req), String(req.headers["content-type"] ?? "")));
        const spec = o(body.spec);
        const expiration = typeof spec.expirationSeconds === "number" ? spec.expirationSeconds : 3600;
        const now = Math.floor(this.now().getTime() / 1000);
        const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : ["https://kubernetes.default.svc.cluster.local"];
        const token = serviceAccountToken({
          aud: audiences,
          exp: now + expiration,
          iat: now,
          iss: "https://kubernetes.default.svc.cluster.local",
          jti: randomUUID(),
          "kubernetes.io": { namespace: ns, serviceaccount: { name, uid: sa.metadata.uid } },
          nbf: now,
          sub: `system:serviceaccount:${ns}:${name}`,
        });
        return sendJson(res, 201, {
          kind: "TokenRequest",
          apiVersion: "authentication.k8s.io/v1",
          metadata: { name, namespace: ns, creationTimestamp: null },
          spec: { audiences, expirationSeconds: expiration, boundObjectRef: spec.boundObjectRef ?? null },
          status: { token, expirationTimestamp: new Date((now + expiration) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z") },
        });
      }
      case "exec":
      case "attach":
      case "portforward":
        throw badRequest(`${t.subresource} is not supported by the simulated cluster yet (use the node shell)`);
      default:
        throw pathNotFound();
    }
  }

  private async bind(req: IncomingMessage, res: ServerResponse, ns: string, name: string): Promise<void> {
    const body = o(parseBody(await readBody(req), String(req.headers["content-type"] ?? "")));
    const target = o(body.target);
    const nodeName = String(target.name ?? "");
    if (!nodeName) {
      throw invalid({ group: "", kind: "Binding" }, name, [{ reason: "FieldValueRequired", message: "Required value", field: "target.name" }]);
    }
    this.bindPod(ns, name, nodeName);
    sendJson(res, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
  }

  /** Sets spec.nodeName once, as the binding REST does (also used by `POST bindings`). */
  bindPod(ns: string, name: string, nodeName: string): void {
    const pod = this.deps.store.mustGet("pods", ns, name);
    const spec = o(pod.spec);
    if (spec.nodeName) {
      throw conflict({ group: "", resource: "pods" }, name, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
    }
    if (pod.metadata.deletionTimestamp) throw conflict({ group: "", resource: "pods" }, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    pod.spec = { ...spec, nodeName };
    const updated = this.deps.store.update("pods", pod, { force: true });
    const status = o(updated.status);
    const conds = (Array.isArray(status.conditions) ? (status.conditions as J[]) : []).filter((c) => c.type !== "PodScheduled");
    conds.push({ type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: this.now().toISOString().replace(/\.\d{3}Z$/, "Z") });
    updated.status = { ...status, conditions: conds };
    this.deps.store.update("pods", updated, { subresource: "status", force: true });
  }

  private podLog(req: IncomingMessage, res: ServerResponse, ns: string, name: string, q: URLSearchParams): void {
    const pod = this.deps.store.mustGet("pods", ns, name);
    const containers = (o(pod.spec).containers as J[] | undefined) ?? [];
    let container = q.get("container") ?? undefined;
    if (!container) {
      if (containers.length === 1) container = String(containers[0]!.name);
      else {
        throw badRequest(
          `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => String(c.name)).join(" ")}]`,
        );
      }
    } else if (![...containers, ...((o(pod.spec).initContainers as J[] | undefined) ?? [])].some((c) => c.name === container)) {
      throw badRequest(`container ${container} is not valid for pod ${name}`);
    }
    const source = this.deps.logs?.();
    if (!source) {
      throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
    }
    const num = (k: string) => (q.get(k) === null ? undefined : Number(q.get(k)));
    const lr = {
      namespace: ns,
      pod: name,
      container,
      previous: q.get("previous") === "true",
      tailLines: num("tailLines"),
      timestamps: q.get("timestamps") === "true",
      sinceSeconds: num("sinceSeconds"),
      limitBytes: num("limitBytes"),
    };
    // read() first: its errors (container waiting, no previous instance) are the real 400s.
    const text = source.read(lr);
    if (q.get("follow") !== "true") return sendText(res, 200, text);
    res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked", "Cache-Control": "no-cache, private" });
    const ac = new AbortController();
    const end = () => {
      ac.abort();
      if (!res.writableEnded) res.end();
    };
    req.on("close", end);
    res.on("close", end);
    // follow() sends the requested tail, then new lines while the container runs.
    source.follow(lr, (chunk) => {
      if (!res.writableEnded) res.write(chunk);
    }, ac.signal);
    // The stream ends when the container stops running, as the kubelet's does.
    const running = () => {
      const p = this.deps.store.get("pods", ns, name);
      const st = ((o(p?.status).containerStatuses as J[] | undefined) ?? []).find((c) => c.name === container);
      return Boolean(p && !lr.previous && o(st?.state).running);
    };
    if (!running()) return end();
    const timer = setInterval(() => {
      if (!running()) {
        clearInterval(timer);
        // Let the last lines of the container through before closing.
        setTimeout(end, 200);
      }
    }, 500);
    ac.signal.addEventListener("abort", () => clearInterval(timer));
  }

  private async virtualResource(req: IncomingMessage, res: ServerResponse, t: ResourceTarget, user: User): Promise<void> {
    const body = o(parseBody(await readBody(req), String(req.headers["content-type"] ?? "")));
    const { rt } = t;
    if ((req.method ?? "GET") !== "POST") throw methodNotAllowed("the server does not allow this method on the requested resource");
    switch (rt.resource) {
      case "bindings": {
        const nodeName = String(o(body.target).name ?? "");
        this.bindPod(t.namespace ?? "default", String(o(body.metadata).name ?? ""), nodeName);
        return sendJson(res, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
      }
      case "selfsubjectaccessreviews":
      case "subjectaccessreviews": {
        // RBAC is stored but not enforced: the admin (system:masters) may do anything, and so may
        // everyone else for now. docs/sim-fidelity.md says so.
        const masters = user.groups.includes("system:masters");
        return sendJson(res, 201, {
          kind: rt.kind,
          apiVersion: "authorization.k8s.io/v1",
          metadata: { creationTimestamp: null },
          spec: body.spec ?? {},
          status: { allowed: true, ...(masters ? {} : { reason: "RBAC is not enforced by the simulated cluster" }) },
        });
      }
      case "selfsubjectrulesreviews":
        return sendJson(res, 201, {
          kind: "SelfSubjectRulesReview",
          apiVersion: "authorization.k8s.io/v1",
          metadata: { creationTimestamp: null },
          spec: body.spec ?? {},
          status: {
            resourceRules: [
              { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
              { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
            ],
            nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
            incomplete: false,
          },
        });
    }
    throw pathNotFound();
  }

  /** For printing errors with the verb/resource client-go shows, e.g. "(get pods)". */
  static describeTarget(t: ResourceTarget): string {
    return groupResource(t.rt);
  }
}

/**
 * fieldValidation: Strict (what kubectl sends) rejects unknown fields with the apiserver's
 * message; Warn (the default) answers with Warning headers, which kubectl prints; Ignore ignores.
 */
function checkUnknownFields(rt: ResourceType, obj: KubeObject, q: URLSearchParams, res: ServerResponse, patch: boolean): void {
  const mode = q.get("fieldValidation") ?? "Warn";
  if (mode === "Ignore") return;
  const unknown = unknownFields(rt.kind, obj);
  if (!unknown.length) return;
  const list = unknown.map((f) => `unknown field "${f}"`);
  if (mode === "Strict") {
    const why = `strict decoding error: ${list.join(", ")}`;
    throw badRequest(patch ? why : `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: ${why}`);
  }
  res.setHeader("Warning", list.map((w) => `299 - ${JSON.stringify(w)}`));
}

const TOKEN_KEY = randomBytes(32);

/**
 * A JWT shaped like the apiserver's bound ServiceAccount tokens. It is signed with a per-process
 * HMAC key rather than the cluster's sa.key, and the sim does not accept tokens for
 * authentication (docs/sim-fidelity.md).
 */
function serviceAccountToken(claims: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const head = `${b64({ alg: "HS256", kid: "sim" })}.${b64(claims)}`;
  return `${head}.${createHmac("sha256", TOKEN_KEY).update(head).digest("base64url")}`;
}

/** core/v1 Event → events.k8s.io/v1 Event (same storage, different field names). */
function coreEventToEventsV1(e: KubeObject): KubeObject {
  const src = o(e.source);
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
