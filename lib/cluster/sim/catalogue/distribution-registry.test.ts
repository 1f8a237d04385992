import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { authorized, getManifest, putManifest, registryProcessOf } from "./distribution-registry";

const line = (user: string, password: string, prefix = "$2y$") => `${user}:${bcrypt.hashSync(password, 4).replace(/^\$2b\$/, prefix)}`;
const env = { REGISTRY_AUTH: "htpasswd", REGISTRY_AUTH_HTPASSWD_REALM: "Team registry", REGISTRY_AUTH_HTPASSWD_PATH: "/auth/htpasswd" };

describe("distribution registry model", () => {
  it("lets everyone in without REGISTRY_AUTH, and only htpasswd users with their password with it", () => {
    expect(authorized(registryProcessOf("/var/lib/registry", {}), {}, undefined)).toBe(true);
    const proc = registryProcessOf("/var/lib/registry", env);
    const files = { "/auth/htpasswd": `${line("alice", "a")}\n${line("team-ci", "s3cr3t", "$2a$")}\nbob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n` };
    expect(authorized(proc, files, undefined)).toBe(false);
    expect(authorized(proc, files, { username: "team-ci", password: "s3cr3t" })).toBe(true);
    expect(authorized(proc, files, { username: "alice", password: "a" })).toBe(true);
    expect(authorized(proc, files, { username: "team-ci", password: "a" })).toBe(false);
    // distribution reads bcrypt lines only.
    expect(authorized(proc, files, { username: "bob", password: "password" })).toBe(false);
    // No htpasswd file where the env points: nobody.
    expect(authorized(proc, {}, { username: "team-ci", password: "s3cr3t" })).toBe(false);
  });

  it("stores a pushed tag in the filesystem driver's layout and finds it by tag and by digest", () => {
    const proc = registryProcessOf("/var/lib/registry", {});
    const files: Record<string, string> = {};
    const id = "a".repeat(64);
    const digest = putManifest(proc, (p, c) => (files[p] = c), "team/app", "1.0", id, 1234);
    expect(files[`/var/lib/registry/docker/registry/v2/repositories/team/app/_manifests/tags/1.0/current/link`]).toBe(`sha256:${digest}`);
    expect(Object.keys(files)).toContain(`/var/lib/registry/docker/registry/v2/blobs/sha256/${digest.slice(0, 2)}/${digest}/data`);
    expect(getManifest(proc, files, "team/app", "1.0")?.manifest.config.digest).toBe(`sha256:${id}`);
    expect(getManifest(proc, files, "team/app", `sha256:${digest}`)?.digest).toBe(digest);
    expect(getManifest(proc, files, "team/app", "2.0")).toBeUndefined();
    expect(getManifest(proc, files, "team/other", "1.0")).toBeUndefined();
    // A blob edited into something else is not served as a manifest.
    files[`/var/lib/registry/docker/registry/v2/blobs/sha256/${digest.slice(0, 2)}/${digest}/data`] = "{}";
    expect(getManifest(proc, files, "team/app", "1.0")).toBeUndefined();
  });

  it("moves its storage with REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", () => {
    expect(registryProcessOf("/var/lib/registry", { REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: "/data" }).storage).toBe("/data");
  });
});
