import { describe, expect, it } from "vitest";
import { IMAGE_CATALOGUE, parseImageRef } from "./images";
import { pullImage } from "./image-pull";

describe("image catalogue", () => {
  it("holds well-formed ids, digests and sizes for every tag", () => {
    for (const img of IMAGE_CATALOGUE) {
      for (const [tag, t] of Object.entries(img.tags)) {
        expect(t.id, `${img.repository}:${tag}`).toMatch(/^[0-9a-f]{64}$/);
        expect(t.digest, `${img.repository}:${tag}`).toMatch(/^[0-9a-f]{64}$/);
        expect(t.size).toBeGreaterThan(0);
      }
      for (const p of img.preloaded ?? []) expect(img.tags[p], `${img.repository}:${p}`).toBeDefined();
    }
  });

  it("normalises references as containerd does", () => {
    expect(parseImageRef("nginx").full).toBe("docker.io/library/nginx:latest");
    expect(parseImageRef("nginx:1.27").full).toBe("docker.io/library/nginx:1.27");
    expect(parseImageRef("polinux/stress").full).toBe("docker.io/polinux/stress:latest");
    expect(parseImageRef("registry.k8s.io/pause:3.10")).toMatchObject({ host: "registry.k8s.io", path: "pause", tag: "3.10" });
    expect(parseImageRef("localhost:5000/app:1").host).toBe("localhost:5000");
  });

  it("answers pulls with containerd's errors for missing tags, repositories and hosts", () => {
    expect(pullImage("nginx:1.27", []).ok).toBe(true);
    const tag = pullImage("nginx:1.27.9999", []);
    expect(tag.ok || tag.error).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.27.9999": failed to resolve reference "docker.io/library/nginx:1.27.9999": docker.io/library/nginx:1.27.9999: not found',
    );
    const repo = pullImage("ngnix:1.27", []);
    expect(repo.ok || repo.error).toContain("pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed");
    const host = pullImage("registry.nope.io/app:1", []);
    expect(host.ok || host.error).toContain('failed to do request: Head "https://registry.nope.io/v2/app/manifests/1": dial tcp: lookup registry.nope.io on 172.18.0.1:53: no such host');
    const wrong = pullImage("registry.example.com/team/app:1.0", [{ registry: "registry.example.com", username: "x", password: "y" }]);
    expect(wrong.ok || wrong.error).toContain("401 Unauthorized");
    expect(pullImage("registry.example.com/team/app:1.0", [{ registry: "registry.example.com", username: "team-ci", password: "s3cr3t" }]).ok).toBe(true);
  });
});

describe("docs/sim-images.md", () => {
  it("lists every repository of the catalogue", async () => {
    const { readFileSync } = await import("node:fs");
    const doc = readFileSync(new URL("../../../../docs/sim-images.md", import.meta.url), "utf8");
    for (const img of IMAGE_CATALOGUE) {
      const short = img.repository.replace(/^docker\.io\/(library\/)?/, "").replace(/^registry\.k8s\.io\//, "");
      const last = short.split("/").pop()!;
      expect(doc.includes(short) || doc.includes(last), img.repository).toBe(true);
    }
  });
});

describe("kind images", () => {
  it("has every image of the pinned kind node preloaded", async () => {
    const { KIND_IMAGES } = await import("../bootstrap/kind-layout");
    const { SIM_VERSIONS } = await import("../node/node-spec");
    const refs = [
      KIND_IMAGES.coredns,
      KIND_IMAGES.kubeProxy,
      KIND_IMAGES.kindnetd,
      KIND_IMAGES.localPathProvisioner,
      `registry.k8s.io/etcd:${SIM_VERSIONS.etcd}`,
      `registry.k8s.io/pause:${SIM_VERSIONS.pause}`,
      ...["kube-apiserver", "kube-controller-manager", "kube-scheduler"].map((c) => `registry.k8s.io/${c}:${SIM_VERSIONS.kubernetes}`),
    ];
    for (const r of refs) {
      const ref = parseImageRef(r);
      const img = IMAGE_CATALOGUE.find((i) => i.repository === ref.repository);
      expect(img?.preloaded, r).toContain(ref.tag);
    }
  });
});
