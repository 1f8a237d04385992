import bcrypt from "bcryptjs";
import { afterEach, describe, expect, it } from "vitest";
import type { Container, Pod } from "../controllers/api-types";
import { startWorkloadSim, type WorkloadSim } from "../controllers/start-workload-sim";
import { NodeLayout } from "../node/node-layout";
import { ctr } from "../node/tools/ctr";
import { NodeServices } from "../node/tools/node-services";
import type { NodeToolHost } from "../node/tools/node-tool-host";
import { endpointsFor, parseHostsToml } from "./registry-client";

/**
 * A registry:2 Deployment's pod in the cluster, an image pushed into it with the node's ctr, and
 * pods pulling it through a NodePort on the node's loopback address: the path of the
 * image-pull-backoff pack, with the texts containerd 2.x gives the kubelet.
 */
let sim: WorkloadSim | undefined;
afterEach(() => sim?.stop());

const NODE = "kind-control-plane";
const REF = "127.0.0.1:30500/team/app:1.0";
const HOSTS = `[host."http://127.0.0.1:30500"]\n  capabilities = ["pull", "resolve"]\n`;
const b64 = (s: string) => Buffer.from(s).toString("base64");

function pod(name: string, c: Partial<Container>, extra: Partial<Pod["spec"]> = {}): Pod {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "cap", uid: "", labels: { run: name } }, spec: { containers: [{ name, image: "busybox:1.36", ...c }], ...extra } };
}
const evs = (s: WorkloadSim, name: string) => s.eventsFor("Pod", "cap", name).map((e) => `${e.type} ${e.reason} ${e.message}`);
const cs = (s: WorkloadSim, name: string) => (s.store.get("pods", "cap", name) as Pod | undefined)?.status?.containerStatuses?.[0];

function pullSecret(s: WorkloadSim, name: string, password: string): void {
  const cfg = { auths: { "127.0.0.1:30500": { username: "team-ci", password, auth: b64(`team-ci:${password}`) } } };
  s.apply("secrets", { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "cap" }, type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": b64(JSON.stringify(cfg)) } });
}

async function withRegistry(files: Record<string, string> = { [`/etc/containerd/certs.d/127.0.0.1:30500/hosts.toml`]: HOSTS }): Promise<WorkloadSim> {
  const s = startWorkloadSim({ bare: true, timeScale: 20, hooks: () => ({ nodeFile: (p) => files[p] ?? null }) });
  sim = s;
  s.apply("secrets", { apiVersion: "v1", kind: "Secret", metadata: { name: "htpasswd", namespace: "cap" }, type: "Opaque", data: { htpasswd: b64(`team-ci:${bcrypt.hashSync("s3cr3t", 4).replace(/^\$2b\$/, "$2y$")}\n`) } });
  const reg = pod(
    "registry",
    {
      image: "registry:2.8.3",
      env: [
        { name: "REGISTRY_AUTH", value: "htpasswd" },
        { name: "REGISTRY_AUTH_HTPASSWD_REALM", value: "Team registry" },
        { name: "REGISTRY_AUTH_HTPASSWD_PATH", value: "/auth/htpasswd" },
      ],
      volumeMounts: [{ name: "auth", mountPath: "/auth" }],
    },
    { volumes: [{ name: "auth", secret: { secretName: "htpasswd" } }] },
  );
  reg.metadata.labels = { app: "registry" };
  s.apply("pods", reg);
  s.apply("services", { apiVersion: "v1", kind: "Service", metadata: { name: "registry", namespace: "cap" }, spec: { type: "NodePort", selector: { app: "registry" }, ports: [{ port: 5000, targetPort: 5000, nodePort: 30500 }] } });
  await s.waitFor("registry endpoints", () => {
    const ep = s.store.get("endpoints", "cap", "registry") as { subsets?: { addresses?: unknown[] }[] } | undefined;
    return ep?.subsets?.some((x) => x.addresses?.length);
  });
  return s;
}

function toolHost(s: WorkloadSim): NodeToolHost {
  return {
    node: { name: NODE, role: "control-plane", ip: "172.18.0.2", podCidr: "10.244.0.0/24" },
    layout: new NodeLayout("/nonexistent"),
    clock: s.clock,
    kubelet: s.kubelets.get(NODE)!,
    services: new NodeServices(s.clock, { onKubelet: () => {}, onContainerd: () => {} }),
    listeners: () => [],
    extraJournal: () => [],
    etcd: () => null,
    apiReachable: () => true,
  };
}

async function runCtr(h: NodeToolHost, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await ctr(h, { tool: "ctr", argv, env: {}, cwd: "/" }, { out: (x) => (out += x), err: (x) => (err += x), signal: new AbortController().signal });
  return { code, out, err };
}

const resolveErr = (detail: string, code = "Unknown") =>
  `rpc error: code = ${code} desc = failed to pull and unpack image "${REF}": failed to resolve reference "${REF}": ${detail}`;

describe("an in-cluster registry reached through a NodePort", () => {
  it("takes a push from ctr only with the htpasswd user's password", async () => {
    const h = toolHost(await withRegistry());
    expect(await runCtr(h, ["images", "tag", "docker.io/library/nginx:1.27", REF])).toMatchObject({ code: 1, err: 'ctr: image "docker.io/library/nginx:1.27": not found\n' });
    expect(await runCtr(h, ["-n", "k8s.io", "images", "tag", "nginx:1.27", REF])).toMatchObject({ code: 1, err: 'ctr: image "nginx:1.27": not found\n' });
    expect(await runCtr(h, ["-n", "k8s.io", "images", "tag", "docker.io/library/nginx:1.27", REF])).toEqual({ code: 0, out: `${REF}\n`, err: "" });
    expect((await runCtr(h, ["-n", "k8s.io", "images", "ls", "-q"])).out.split("\n")).toContain(REF);
    expect(await runCtr(h, ["-n", "k8s.io", "images", "push", "--plain-http", REF])).toMatchObject({ code: 1, err: "ctr: authorization failed: no basic auth credentials\n" });
    expect(await runCtr(h, ["-n", "k8s.io", "images", "push", "--plain-http", "-u", "team-ci:nope", REF])).toMatchObject({
      code: 1,
      err: "ctr: unexpected status from POST request to http://127.0.0.1:30500/v2/team/app/blobs/uploads/: 401 Unauthorized\n",
    });
    const ok = await runCtr(h, ["-n", "k8s.io", "images", "push", "--plain-http", "--platform", "linux/amd64", "--user", "team-ci:s3cr3t", REF]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^manifest-sha256:[0-9a-f]{64}: done /);
  });

  it("refuses a pull without credentials, or with wrong ones, with containerd's texts; serves it with the right secret", async () => {
    const s = await withRegistry();
    const h = toolHost(s);
    await runCtr(h, ["-n", "k8s.io", "images", "tag", "docker.io/library/nginx:1.27", REF]);
    expect((await runCtr(h, ["-n", "k8s.io", "images", "push", "--plain-http", "--user", "team-ci:s3cr3t", REF])).code).toBe(0);

    s.apply("pods", pod("anon", { image: REF, imagePullPolicy: "Always" }));
    await s.waitFor("anon fails", () => evs(s, "anon").find((e) => e.includes("Failed to pull")));
    expect(evs(s, "anon")).toContain(`Warning Failed Failed to pull image "${REF}": ${resolveErr("pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials")}`);

    pullSecret(s, "stale", "old-password");
    s.apply("pods", pod("wrong", { image: REF, imagePullPolicy: "Always" }, { imagePullSecrets: [{ name: "stale" }] }));
    await s.waitFor("wrong fails", () => evs(s, "wrong").find((e) => e.includes("Failed to pull")));
    expect(evs(s, "wrong")).toContain(`Warning Failed Failed to pull image "${REF}": ${resolveErr("unexpected status from HEAD request to http://127.0.0.1:30500/v2/team/app/manifests/1.0: 401 Unauthorized")}`);

    pullSecret(s, "team", "s3cr3t");
    s.apply("pods", pod("good", { image: REF, imagePullPolicy: "Always" }, { imagePullSecrets: [{ name: "team" }] }));
    await s.waitFor("good runs", () => cs(s, "good")?.state.running);
    // The pushed image is nginx: same image id, a digest of the manifest the registry stored.
    expect(cs(s, "good")?.imageID).toMatch(/^127\.0\.0\.1:30500\/team\/app@sha256:[0-9a-f]{64}$/);
    expect(evs(s, "good").some((e) => /^Normal Pulled Successfully pulled image "127\.0\.0\.1:30500\/team\/app:1\.0" in /.test(e))).toBe(true);

    s.apply("pods", pod("missing", { image: "127.0.0.1:30500/team/app:2.0" }, { imagePullSecrets: [{ name: "team" }] }));
    await s.waitFor("missing fails", () => evs(s, "missing").find((e) => e.includes("Failed to pull")));
    expect(evs(s, "missing").find((e) => e.includes("Failed to pull"))).toContain(
      'rpc error: code = NotFound desc = failed to pull and unpack image "127.0.0.1:30500/team/app:2.0": failed to resolve reference "127.0.0.1:30500/team/app:2.0": 127.0.0.1:30500/team/app:2.0: not found',
    );
  });

  it("refuses the connection when no Service has that NodePort", async () => {
    const s = startWorkloadSim({ bare: true, timeScale: 20 });
    sim = s;
    s.apply("pods", pod("nothing", { image: REF }));
    await s.waitFor("fails", () => evs(s, "nothing").find((e) => e.includes("Failed to pull")));
    expect(evs(s, "nothing")).toContain(
      `Warning Failed Failed to pull image "${REF}": ${resolveErr('failed to do request: Head "http://127.0.0.1:30500/v2/team/app/manifests/1.0": dial tcp 127.0.0.1:30500: connect: connection refused')}`,
    );
  });
});

describe("hosts.toml", () => {
  it("lists the host sections in order, then the server", () => {
    expect(parseHostsToml(`server = "https://registry.example.com"\n\n[host."http://10.0.0.1:5000"]\n  capabilities = ["pull"]\n[host."https://mirror:443"]\n`)).toEqual([
      { scheme: "http", host: "10.0.0.1:5000" },
      { scheme: "https", host: "mirror:443" },
      { scheme: "https", host: "registry.example.com" },
    ]);
  });

  it("defaults to HTTP only for a loopback host, as the CRI's defaultScheme does", () => {
    expect(endpointsFor("127.0.0.1:30500", null)).toEqual([{ scheme: "http", host: "127.0.0.1:30500" }]);
    expect(endpointsFor("localhost", null)).toEqual([{ scheme: "http", host: "localhost" }]);
    expect(endpointsFor("172.18.0.2:30500", null)).toEqual([{ scheme: "https", host: "172.18.0.2:30500" }]);
  });
});
