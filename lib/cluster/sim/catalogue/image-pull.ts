/**
 * What a pull of an image reference returns on a sim node: success with the image's id and size,
 * or the error text containerd 2.x gives the kubelet (which prefixes it with
 * `Failed to pull image "X": `). Credentials come from the pod's dockerconfigjson pull secrets.
 */
import { KNOWN_REGISTRIES, NODE_RESOLVER, parseImageRef, resolveTag, findCatalogueImage, type CatalogueImage, type ImageRef, type TagInfo } from "./images";

export interface RegistryCredential {
  registry: string;
  username?: string;
  password?: string;
}

export type PullResult =
  | { ok: true; ref: ImageRef; image: CatalogueImage; tag: TagInfo; tagName: string }
  | { ok: false; ref: ImageRef; error: string };

/** Reads the registries and credentials out of secrets of type kubernetes.io/dockerconfigjson (or dockercfg). */
export function credentialsFromSecret(data: Record<string, string> | undefined): RegistryCredential[] {
  const raw = data?.[".dockerconfigjson"] ?? data?.[".dockercfg"];
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64").toString("utf8"));
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== "object") return [];
  const auths = ("auths" in parsed ? (parsed as { auths: unknown }).auths : parsed) as Record<string, unknown>;
  const out: RegistryCredential[] = [];
  for (const [registry, v] of Object.entries(auths ?? {})) {
    if (!v || typeof v !== "object") continue;
    const e = v as { username?: string; password?: string; auth?: string };
    let { username, password } = e;
    if (e.auth && !username) {
      const dec = Buffer.from(e.auth, "base64").toString("utf8");
      const i = dec.indexOf(":");
      username = dec.slice(0, i);
      password = dec.slice(i + 1);
    }
    out.push({ registry: registry.replace(/^https?:\/\//, "").replace(/\/.*$/, ""), username, password });
  }
  return out;
}

/** containerd's error for a reference it could not resolve, as the CRI returns it to the kubelet. */
export function resolveFailed(ref: ImageRef, detail: string, code = "Unknown"): string {
  return `rpc error: code = ${code} desc = failed to pull and unpack image "${ref.full}": failed to resolve reference "${ref.full}": ${detail}`;
}

/** Pulls `image` (as written in the pod spec) with the given credentials. */
export function pullImage(image: string, creds: RegistryCredential[]): PullResult {
  const ref = parseImageRef(image);
  const host = ref.host === "docker.io" ? "registry-1.docker.io" : ref.host;
  const reference = ref.tag ?? ref.digest ?? "latest";
  if (!KNOWN_REGISTRIES.includes(ref.host)) {
    return {
      ok: false,
      ref,
      error: resolveFailed(ref, `failed to do request: Head "https://${host}/v2/${ref.path}/manifests/${reference}": dial tcp: lookup ${host} on ${NODE_RESOLVER}: no such host`),
    };
  }
  const known = findCatalogueImage(ref);
  if (known?.private) {
    const c = creds.find((x) => x.registry === ref.host);
    const scope = encodeURIComponent(`repository:${ref.path}:pull`);
    if (!c) {
      return {
        ok: false,
        ref,
        error: resolveFailed(ref, `failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${host}/token?scope=${scope}&service=${host}: 401 Unauthorized`),
      };
    }
    if (c.username !== known.private.username || c.password !== known.private.password) {
      return {
        ok: false,
        ref,
        error: resolveFailed(ref, `failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://${host}/token?scope=${scope}&service=${host}: 401 Unauthorized`),
      };
    }
  }
  if (!known) {
    // Docker Hub answers an unknown repository like a private one; other registries say not found.
    if (ref.host === "docker.io") {
      return {
        ok: false,
        ref,
        error: resolveFailed(ref, "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"),
      };
    }
    return { ok: false, ref, error: resolveFailed(ref, `${ref.full}: not found`, "NotFound") };
  }
  const hit = resolveTag(ref);
  if (!hit) return { ok: false, ref, error: resolveFailed(ref, `${ref.full}: not found`, "NotFound") };
  return { ok: true, ref, ...hit };
}
