import type { IncomingMessage, ServerResponse } from "node:http";
import { groupResource, storageKey, type ResourceType } from "../store/resource-types";
import { internalError, methodNotAllowed, pathNotFound, StatusError } from "../store/status-error";
import type { KubeObject } from "../store/types";
import {
  aggregatedDiscovery,
  AGGREGATED_V2_CONTENT_TYPE,
  AGGREGATED_V2BETA1_CONTENT_TYPE,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from "./discovery";
import { componentStatuses } from "./handlers/component-statuses";
import { createObject, createResource } from "./handlers/create-resource";
import { deleteCollection } from "./handlers/delete-collection";
import { deleteResource } from "./handlers/delete-resource";
import { getResource } from "./handlers/get-resource";
import { isHealthPath, serveHealth } from "./handlers/health";
import { listResources } from "./handlers/list-resources";
import { patchResource } from "./handlers/patch-resource";
import { METHOD_NOT_ALLOWED, type RequestScope, type RestApiDeps, type User } from "./handlers/request-scope";
import { sendJson, sendStatus } from "./handlers/responses";
import { approvalSubresource } from "./handlers/subresources/approval-subresource";
import { bindPod } from "./handlers/subresources/bind-pod";
import { bindingSubresource } from "./handlers/subresources/binding-subresource";
import { evictionSubresource } from "./handlers/subresources/eviction-subresource";
import { finalizeSubresource } from "./handlers/subresources/finalize-subresource";
import { logSubresource } from "./handlers/subresources/log-subresource";
import { scaleSubresource } from "./handlers/subresources/scale-subresource";
import { statusSubresource } from "./handlers/subresources/status-subresource";
import { streamingSubresource } from "./handlers/subresources/streaming-subresource";
import { tokenSubresource } from "./handlers/subresources/token-subresource";
import { updateResource } from "./handlers/update-resource";
import { versionInfo } from "./handlers/version-info";
import { virtualResource } from "./handlers/virtual-resource";
import { watchResources } from "./handlers/watch-resources";
import { ApiServerMetrics, requestLabels } from "./metrics/apiserver-metrics";
import { openApiV3Document, openApiV3Index } from "./openapi";
import { authorizeRequest } from "./rbac/authorize-request";
import { forbiddenError } from "./rbac/forbidden-error";
import { impersonate } from "./rbac/impersonate";
import { requestAttributes } from "./rbac/request-attributes";
import { parseResourcePath, type ResourceTarget } from "./request-target";

/**
 * The REST layer of the sim kube-apiserver: routes a request to discovery, health, OpenAPI or a
 * resource handler (handlers/, one per verb and subresource, as the apiserver's endpoints/handlers
 * are laid out). Authentication happens before this (api-server.ts); every caller here is
 * already a user, whom handle() impersonates and authorizes (rbac/).
 */

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

/** The resource a path names, for metrics labels (undefined for discovery and non-resource paths). */
function metricsTarget(pathname: string): ResourceTarget | undefined {
  const segs = pathname.split("/").filter(Boolean);
  if (segs[0] !== "api" && segs[0] !== "apis") return undefined;
  try {
    return parseResourcePath(segs);
  } catch {
    return undefined;
  }
}

type Handler = (scope: RequestScope) => void | Promise<void>;

// Maps, not object literals: a name from the URL must never find Object.prototype's members.
const VERB_HANDLERS = new Map<string, Handler>([
  ["get", getResource],
  ["list", listResources],
  ["watch", watchResources],
  ["create", createResource],
  ["update", updateResource],
  ["patch", patchResource],
  ["delete", deleteResource],
  ["deletecollection", deleteCollection],
]);

const SUBRESOURCE_HANDLERS = new Map<string, Handler>([
  ["status", statusSubresource],
  ["approval", approvalSubresource],
  ["scale", scaleSubresource],
  ["log", logSubresource],
  ["binding", bindingSubresource],
  ["eviction", evictionSubresource],
  ["finalize", finalizeSubresource],
  ["token", tokenSubresource],
  ["exec", streamingSubresource],
  ["attach", streamingSubresource],
  ["portforward", streamingSubresource],
]);

export class RestApi {
  private readonly metrics: ApiServerMetrics;

  constructor(private readonly deps: RestApiDeps) {
    this.metrics = new ApiServerMetrics(deps.gitVersion);
  }

  /**
   * Serves one request of an authenticated user (system:anonymous included). Never throws: every
   * failure becomes a Status response. Impersonation and authorization come first, as the
   * apiserver's WithImpersonation and WithAuthorization filters run before any handler: a denied
   * request gets the 403 whether or not its target exists.
   */
  async handle(req: IncomingMessage, res: ServerResponse, user: User): Promise<void> {
    const url = new URL(req.url ?? "/", "https://sim");
    const tracker = this.metrics.begin(req);
    const labels = requestLabels(req, url, metricsTarget(url.pathname));
    tracker.longRunning(labels);
    res.once("close", () => tracker.end(labels, res.statusCode));
    try {
      const effective = this.authorize(req, url, user);
      await this.route(req, res, url, effective);
    } catch (err) {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (err instanceof StatusError) sendStatus(res, err);
      else sendStatus(res, internalError(err instanceof Error ? err.message : String(err)));
    }
  }

  /** Impersonation, then the authorizer; returns the user the request runs as. Throws the 400/403 Status. */
  private authorize(req: IncomingMessage, url: URL, user: User): User {
    const effective = impersonate(this.deps.store, user, req.headers);
    const attrs = requestAttributes(effective, req.method ?? "GET", url);
    const d = authorizeRequest(this.deps.store, attrs);
    if (!d.allowed) throw forbiddenError(attrs, d.reason);
    return effective;
  }

  /** For the exec/attach upgrade: the Status that refuses it, or null when it may go on. */
  authorizeUpgrade(req: IncomingMessage, user: User): StatusError | null {
    try {
      // A WebSocket exec is a GET; the apiserver authorizes it as `create pods/exec` (the verb kubectl's POST has).
      const url = new URL(req.url ?? "/", "https://sim");
      const effective = impersonate(this.deps.store, user, req.headers);
      const attrs = requestAttributes(effective, "POST", url);
      const d = authorizeRequest(this.deps.store, attrs);
      return d.allowed ? null : forbiddenError(attrs, d.reason);
    } catch (err) {
      if (err instanceof StatusError) return err;
      throw err;
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL, user: User): Promise<void> {
    const p = url.pathname.replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";
    if (isHealthPath(p)) return serveHealth(res, p, url, this.deps.backendFailure() !== null);
    if (p === "/version") return sendJson(res, 200, versionInfo(this.deps.gitVersion));
    if (p === "/metrics") {
      const text = this.metrics.exposition(this.deps.store);
      res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
      res.end(text);
      return;
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
    const target = parseResourcePath(segs);
    // Discovery and OpenAPI are served from memory; resources need etcd (ComponentStatus probes it).
    const failure = this.deps.backendFailure();
    if (failure && target?.rt.resource !== "componentstatuses") {
      await new Promise((r) => setTimeout(r, failure.delayMs));
      // An empty 504: client-go then prints "the server was unable to return a response in the time allotted …".
      res.writeHead(504, { "Content-Length": 0 });
      res.end();
      return;
    }
    if (!target) throw pathNotFound();
    const watch = url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1";
    const verb = verbFor(method, target, watch);
    if (!target.subresource && !target.rt.verbs.includes(verb)) throw methodNotAllowed(METHOD_NOT_ALLOWED);
    const { rt } = target;
    const scope: RequestScope = {
      deps: this.deps,
      req,
      res,
      user,
      method,
      target,
      rt,
      key: storageKey(rt),
      namespace: rt.namespaced ? target.namespace : undefined,
      query: url.searchParams,
      accept,
    };
    if (rt.resource === "componentstatuses") return componentStatuses(scope);
    if (rt.virtual) return virtualResource(scope);
    if (target.subresource) {
      const serve = SUBRESOURCE_HANDLERS.get(target.subresource);
      if (!serve) throw pathNotFound();
      return serve(scope);
    }
    const serve = VERB_HANDLERS.get(verb);
    if (!serve) throw methodNotAllowed(METHOD_NOT_ALLOWED);
    return serve(scope);
  }

  /** Creates an object through the API's defaulting and validation (for in-process callers). */
  create(rt: ResourceType, key: string, body: KubeObject, ns: string | undefined, dryRun = false): KubeObject {
    return createObject(this.deps, rt, key, body, ns, dryRun);
  }

  /** Sets spec.nodeName once, as the binding REST does (also used by `POST bindings`). */
  bindPod(ns: string, name: string, nodeName: string): void {
    bindPod(this.deps, ns, name, nodeName);
  }

  /** For printing errors with the verb/resource client-go shows, e.g. "(get pods)". */
  static describeTarget(t: ResourceTarget): string {
    return groupResource(t.rt);
  }
}
