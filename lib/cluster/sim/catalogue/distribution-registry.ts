/**
 * What a distribution (registry:2) server does with the requests of a node's containerd, as the
 * sim plays it: htpasswd basic auth (bcrypt lines only, as distribution accepts), and the
 * filesystem storage driver's layout under its root directory (`/var/lib/registry`):
 *
 *   docker/registry/v2/repositories/<name>/_manifests/tags/<tag>/current/link   → sha256:<manifest>
 *   docker/registry/v2/repositories/<name>/_manifests/revisions/sha256/<hex>/link
 *   docker/registry/v2/blobs/sha256/<hex[0:2]>/<hex>/data                        → the manifest JSON
 *
 * The manifest names the image's config digest (its image id), which is how a pull finds out what
 * the image is. Layer blobs are not stored (the sim has no layer bytes); see docs/sim-fidelity.md.
 */
import { createHash } from "node:crypto";
import bcrypt from "bcryptjs";
import { z } from "zod";

/** A running registry process: where it stores, and its auth configuration (from its env). */
export interface RegistryProcess {
  storage: string;
  auth?: { realm: string; htpasswdPath: string };
}

export interface BasicCredentials {
  username: string;
  password: string;
}

/** The manifest of a pushed image (OCI image manifest, one layer standing for all of them). */
export interface StoredManifest {
  schemaVersion: 2;
  mediaType: "application/vnd.oci.image.manifest.v1+json";
  config: { mediaType: "application/vnd.oci.image.config.v1+json"; digest: string; size: number };
  layers: { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip"; digest: string; size: number }[];
}

/** What a pull reads back from storage; a file changed in the container is checked, not trusted. */
const storedManifestSchema = z.object({
  config: z.object({ digest: z.string().regex(/^sha256:[0-9a-f]{64}$/), size: z.number() }),
  layers: z.array(z.object({ digest: z.string(), size: z.number().int().nonnegative() })),
});

/** The registry's process configuration from its environment, as distribution reads REGISTRY_* overrides. */
export function registryProcessOf(storage: string, env: Record<string, string>): RegistryProcess {
  const root = env.REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY || storage;
  if (env.REGISTRY_AUTH !== "htpasswd") return { storage: root };
  return { storage: root, auth: { realm: env.REGISTRY_AUTH_HTPASSWD_REALM ?? "", htpasswdPath: env.REGISTRY_AUTH_HTPASSWD_PATH ?? "" } };
}

/** The WWW-Authenticate challenge of a registry with htpasswd auth. */
export function basicChallenge(proc: RegistryProcess): string {
  return `Basic realm="${proc.auth?.realm ?? ""}"`;
}

/**
 * Whether a request with `creds` (undefined: no Authorization header) is let in. Without auth
 * configured everyone is; with htpasswd, only a user whose bcrypt line matches the password. A
 * missing htpasswd file lets nobody in.
 */
export function authorized(proc: RegistryProcess, files: Record<string, string>, creds: BasicCredentials | undefined): boolean {
  if (!proc.auth) return true;
  if (!creds) return false;
  const text = files[proc.auth.htpasswdPath];
  if (text === undefined) return false;
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const user = line.slice(0, i).trim();
    const hash = line.slice(i + 1).trim();
    if (user !== creds.username || !/^\$2[abxy]?\$\d\d\$/.test(hash)) continue;
    try {
      return bcrypt.compareSync(creds.password, hash);
    } catch {
      return false;
    }
  }
  return false;
}

const V2 = "docker/registry/v2";

function tagLink(proc: RegistryProcess, repo: string, tag: string): string {
  return `${proc.storage}/${V2}/repositories/${repo}/_manifests/tags/${tag}/current/link`;
}

function blobData(proc: RegistryProcess, hex: string): string {
  return `${proc.storage}/${V2}/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`;
}

/** The manifest an image with config digest `id` (64 hex) and `size` bytes is pushed as. */
export function manifestFor(id: string, size: number): { json: string; digest: string } {
  const manifest: StoredManifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${id}`, size: 1_473 },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${createHash("sha256").update(`layer:${id}`).digest("hex")}`, size }],
  };
  const json = JSON.stringify(manifest);
  return { json, digest: createHash("sha256").update(json).digest("hex") };
}

/** Stores a pushed manifest under `repo:tag` (PUT /v2/<repo>/manifests/<tag>). Returns the manifest digest (64 hex). */
export function putManifest(proc: RegistryProcess, write: (path: string, content: string) => void, repo: string, tag: string, id: string, size: number): string {
  const { json, digest } = manifestFor(id, size);
  write(blobData(proc, digest), json);
  write(`${proc.storage}/${V2}/repositories/${repo}/_manifests/revisions/sha256/${digest}/link`, `sha256:${digest}`);
  write(tagLink(proc, repo, tag), `sha256:${digest}`);
  return digest;
}

/** HEAD/GET /v2/<repo>/manifests/<reference>: the stored manifest, or undefined (404 MANIFEST_UNKNOWN). */
export function getManifest(proc: RegistryProcess, files: Record<string, string>, repo: string, reference: string): { digest: string; manifest: StoredManifest } | undefined {
  let hex: string | undefined;
  if (reference.startsWith("sha256:")) {
    hex = reference.slice(7);
    if (files[`${proc.storage}/${V2}/repositories/${repo}/_manifests/revisions/sha256/${hex}/link`] === undefined) return undefined;
  } else {
    hex = files[tagLink(proc, repo, reference)]?.trim().replace(/^sha256:/, "");
  }
  if (!hex) return undefined;
  const data = files[blobData(proc, hex)];
  if (data === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  const m = storedManifestSchema.safeParse(parsed);
  return m.success ? { digest: hex, manifest: parsed as StoredManifest } : undefined;
}
