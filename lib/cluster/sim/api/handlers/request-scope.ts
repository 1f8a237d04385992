import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimClock } from "../../clock";
import type { LogSource } from "../../contracts";
import type { ObjectStore } from "../../store/object-store";
import type { ResourceType } from "../../store/resource-types";
import type { ResourceTarget } from "../request-target";
import type { ControlPlaneProbe } from "./component-statuses";

export interface User {
  name: string;
  /** Set by authenticators that know one (x509 users have none). */
  uid?: string;
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
  /** The private key ServiceAccount tokens are signed with (kubeadm's sa.key); absent or null: TokenRequest fails. */
  serviceAccountKey?: () => string | null;
  /** What listens on the control-plane node (ComponentStatus); absent without a node model. */
  controlPlane?: () => ControlPlaneProbe | undefined;
}

export interface BackendFailure {
  /** How long a request hangs before the 504 (the real apiserver's request timeout is 60 s). */
  delayMs: number;
}

/**
 * Everything a resource handler needs about one request, resolved once by the router (the
 * apiserver's handlers get a RequestScope the same way): the target, its storage key, the
 * namespace that applies to it, and the query and Accept header that shape the answer.
 */
export interface RequestScope {
  deps: RestApiDeps;
  req: IncomingMessage;
  res: ServerResponse;
  user: User;
  method: string;
  target: ResourceTarget;
  rt: ResourceType;
  /** The store's key for the resource (events.k8s.io events share core events' storage). */
  key: string;
  /** The URL's namespace for a namespaced resource; undefined for a cluster-scoped one. */
  namespace: string | undefined;
  query: URLSearchParams;
  accept: string;
}

/** `?dryRun=All`: validate and default as for real, but store nothing. */
export function isDryRun(query: URLSearchParams): boolean {
  return query.getAll("dryRun").includes("All");
}

export const METHOD_NOT_ALLOWED = "the server does not allow this method on the requested resource";
