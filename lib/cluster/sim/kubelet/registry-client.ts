/**
 * containerd's registry client (remotes/docker) towards registries that run inside the cluster
 * and are reached from the node: through a NodePort on a loopback or node address, a ClusterIP,
 * or a pod IP. Which endpoints a registry host has comes from the node's
 * /etc/containerd/certs.d/<host>/hosts.toml (containerd's config_path layout, as kind's
 * local-registry guide writes it); without one, a loopback host is spoken to over HTTP (the CRI's
 * defaultScheme) and any other over HTTPS.
 *
 * The answers are distribution's (distribution-registry.ts) and the errors are the texts
 * containerd 2.x returns, which the CRI and the kubelet wrap into the pull event.
 */
import { authorized, getManifest, putManifest, type BasicCredentials } from "../catalogue/distribution-registry";
import { IMAGE_CATALOGUE, type CatalogueImage, type ImageRef, type TagInfo } from "../catalogue/images";
import type { Listener, PodNetwork } from "./pod-network";

export interface RegistryEndpoint {
  scheme: "http" | "https";
  /** host:port as dialled */
  host: string;
}

/** The host part of an image reference when it names a registry the node reaches without DNS (an IP or localhost). */
export function isAddressHost(host: string): boolean {
  const name = host.replace(/:\d+$/, "");
  return name === "localhost" || /^\d+\.\d+\.\d+\.\d+$/.test(name);
}

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, "");
  return name === "localhost" || name.startsWith("127.");
}

/**
 * The endpoints of `host` from its hosts.toml: every `[host."URL"]` in file order, then `server`
 * (containerd's order). Only the scheme and host of each URL matter here.
 */
export function parseHostsToml(text: string): RegistryEndpoint[] {
  const out: RegistryEndpoint[] = [];
  let server: RegistryEndpoint | undefined;
  let inHost = false;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    const section = /^\[\s*host\s*\.\s*"([^"]+)"\s*\]$/.exec(line);
    if (section) {
      inHost = true;
      const e = endpointOf(section[1]!);
      if (e) out.push(e);
      continue;
    }
    if (line.startsWith("[")) {
      inHost = true;
      continue;
    }
    const srv = /^server\s*=\s*"([^"]+)"$/.exec(line);
    if (srv && !inHost) server = endpointOf(srv[1]!);
  }
  if (server) out.push(server);
  return out;
}

function endpointOf(url: string): RegistryEndpoint | undefined {
  const m = /^(https?):\/\/([^/]+)/.exec(url);
  return m ? { scheme: m[1] as "http" | "https", host: m[2]! } : undefined;
}

/** Where containerd sends requests for `host`, given the node's hosts.toml for it (null: none). */
export function endpointsFor(host: string, hostsToml: string | null): RegistryEndpoint[] {
  const configured = hostsToml ? parseHostsToml(hostsToml) : [];
  if (configured.length) return configured;
  // The CRI's defaultScheme: docker.IsLocalhost(host) → http.
  return [{ scheme: isLoopback(host) ? "http" : "https", host }];
}

function dial(network: PodNetwork, host: string): { listener: Listener } | { error: string } {
  const m = /^(.+?)(?::(\d+))?$/.exec(host)!;
  const name = m[1] === "localhost" ? "127.0.0.1" : m[1]!;
  const port = Number(m[2] ?? 443);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(name)) return { error: `dial tcp: lookup ${name}: no such host` };
  const c = network.connectFromNode(name, port);
  if ("listener" in c) return c;
  return { error: c.error === "refused" ? `dial tcp ${name}:${port}: connect: connection refused` : `dial tcp ${name}:${port}: i/o timeout` };
}

export type RegistryPull =
  | { ok: true; image: CatalogueImage; tag: TagInfo; tagName: string }
  | { ok: false; code: "Unknown" | "NotFound"; detail: string };

/** The catalogue image whose config digest (image id) a manifest names. */
function imageWithId(id: string): { image: CatalogueImage; tagName: string; tag: TagInfo } | undefined {
  for (const image of IMAGE_CATALOGUE) {
    for (const [tagName, tag] of Object.entries(image.tags)) if (tag.id === id) return { image, tagName, tag };
  }
  return undefined;
}

/**
 * Resolves `ref` the way containerd does: HEAD /v2/<name>/manifests/<reference> at each endpoint
 * in turn, basic auth when the registry challenges. `detail` is what follows
 * `failed to resolve reference "<ref>": ` in containerd's error.
 */
export function pullFromRegistry(network: PodNetwork, ref: ImageRef, endpoints: RegistryEndpoint[], creds: BasicCredentials | undefined): RegistryPull {
  const reference = ref.digest ?? ref.tag ?? "latest";
  let firstErr: RegistryPull | undefined;
  for (const ep of endpoints) {
    const url = `${ep.scheme}://${ep.host}/v2/${ref.path}/manifests/${reference}`;
    const d = dial(network, ep.host);
    if ("error" in d) {
      firstErr ??= { ok: false, code: "Unknown", detail: `failed to do request: Head "${url}": ${d.error}` };
      continue;
    }
    const proc = d.listener.plan.registry;
    if (ep.scheme === "https" && d.listener.plan.http) {
      firstErr ??= { ok: false, code: "Unknown", detail: `failed to do request: Head "${url}": http: server gave HTTP response to HTTPS client` };
      continue;
    }
    if (!proc) continue; // not a registry: 404 on /v2/…, the next host is tried
    const files = d.listener.files?.() ?? d.listener.plan.files;
    if (!authorized(proc, files, creds)) {
      // A basic challenge without credentials fails in the authorizer; wrong ones end as the last 401.
      return creds
        ? { ok: false, code: "Unknown", detail: `unexpected status from HEAD request to ${url}: 401 Unauthorized` }
        : { ok: false, code: "Unknown", detail: "pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials" };
    }
    const m = getManifest(proc, files, ref.path, reference);
    if (!m) continue;
    const hit = imageWithId(m.manifest.config.digest.replace(/^sha256:/, ""));
    if (!hit) continue;
    return { ok: true, image: hit.image, tagName: ref.tag ?? hit.tagName, tag: { id: hit.tag.id, digest: m.digest, size: m.manifest.layers.reduce((n, l) => n + l.size, 0) } };
  }
  return firstErr ?? { ok: false, code: "NotFound", detail: `${ref.full}: not found` };
}

export type RegistryPush = { ok: true; manifestDigest: string; configDigest: string; manifestSize: number } | { ok: false; error: string };

/**
 * `ctr images push`: uploads the node image (config digest `id`, `size` bytes) as `ref`. ctr uses
 * no hosts.toml unless given --hosts-dir: plain HTTP only with --plain-http (or a loopback host,
 * containerd's HTTP fallback), basic auth from --user.
 */
export function pushToRegistry(network: PodNetwork, ref: ImageRef, image: { id: string; size: number }, opts: { plainHttp: boolean; creds?: BasicCredentials }): RegistryPush {
  const ep: RegistryEndpoint = { scheme: opts.plainHttp || (isLoopback(ref.host) && /:\d+$/.test(ref.host)) ? "http" : "https", host: ref.host };
  const blobUrl = `${ep.scheme}://${ep.host}/v2/${ref.path}/blobs/uploads/`;
  const d = dial(network, ep.host);
  if ("error" in d) return { ok: false, error: `failed to do request: Head "${ep.scheme}://${ep.host}/v2/${ref.path}/blobs/sha256:${image.id}": ${d.error}` };
  if (ep.scheme === "https" && d.listener.plan.http) return { ok: false, error: `failed to do request: Head "${ep.scheme}://${ep.host}/v2/${ref.path}/blobs/sha256:${image.id}": http: server gave HTTP response to HTTPS client` };
  const proc = d.listener.plan.registry;
  if (!proc) return { ok: false, error: `unexpected status from POST request to ${blobUrl}: 404 Not Found` };
  const files = d.listener.files?.() ?? d.listener.plan.files;
  if (!authorized(proc, files, opts.creds)) {
    return opts.creds ? { ok: false, error: `unexpected status from POST request to ${blobUrl}: 401 Unauthorized` } : { ok: false, error: "authorization failed: no basic auth credentials" };
  }
  const write = d.listener.writeFile ?? ((p: string, c: string) => void (files[p] = c));
  const tag = ref.tag ?? "latest";
  const digest = putManifest(proc, write, ref.path, tag, image.id, image.size);
  const stored = getManifest(proc, d.listener.files?.() ?? files, ref.path, tag);
  return { ok: true, manifestDigest: digest, configDigest: image.id, manifestSize: stored ? JSON.stringify(stored.manifest).length : 0 };
}
