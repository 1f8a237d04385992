import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checks } from "./checks";
import type { CheckResult } from "./context";
import { startSimLab, type SimLab } from "./testdata/sim-lab";

/**
 * Every reusable check against cluster states built on a sim cluster (real HTTPS API, kubelets,
 * controllers, kindnet and CNI files): a healthy state passes, and each way the state can be
 * wrong fails with the learner-facing message and the actual/expected detail. The states that
 * break the cluster for good (CNI gone, API server down) come last.
 */

const NS = "lab";
let lab: SimLab;
let stopped = false;
const CP = "chk-control-plane";
const WORKER = "chk-worker";

const deployment = (name: string, image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${NS} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
      - { name: main, image: "${image}" }
`;

async function kubectlOk(argv: string[]): Promise<string> {
  const r = await lab.ctx.kubectl(argv);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** Waits until a check gives the wanted verdict (the cluster converging), and returns that result. */
async function eventually(run: (ctx: SimLab["ctx"]) => Promise<CheckResult>, ok: boolean, what: string): Promise<CheckResult> {
  return lab.ctx.waitFor(
    async () => {
      const r = await run(lab.ctx);
      return r.ok === ok ? r : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 200, what },
  );
}

beforeAll(async () => {
  lab = await startSimLab({ name: "chk", workers: 1 });
  await lab.ctx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`);
  await lab.ctx.apply(deployment("web", "nginx:1.27"));
  await checks.until(lab.ctx, checks.deploymentAvailable({ namespace: NS, name: "web" }), { timeoutMs: 60_000, intervalMs: 200, what: "lab/web to be available" });
}, 120_000);

afterAll(async () => {
  if (stopped) lab?.ctx.dispose();
  else await lab?.stop();
});

describe("on a healthy sim cluster", () => {
  it("apiAnswers passes", async () => {
    expect(await checks.apiAnswers()(lab.ctx)).toEqual({ ok: true, message: "The API server answers and is ready." });
  });

  it("nodesReady passes", async () => {
    expect(await checks.nodesReady()(lab.ctx)).toEqual({ ok: true, message: "All 2 node(s) are Ready." });
  });

  it("deploymentAvailable passes, with and without the image", async () => {
    expect(await checks.deploymentAvailable({ namespace: NS, name: "web" })(lab.ctx)).toEqual({ ok: true, message: `Deployment ${NS}/web has 2/2 replicas available.` });
    expect(await checks.deploymentAvailable({ namespace: NS, name: "web", image: "docker.io/library/nginx:1.27" })(lab.ctx)).toMatchObject({ ok: true });
  });

  it("podsHealthy passes", async () => {
    expect(await checks.podsHealthy({ namespace: NS, labelSelector: "app=web" })(lab.ctx)).toEqual({ ok: true, message: `All 2 pods with app=web in ${NS} are running and ready.` });
  });

  it("daemonSetReady passes kindnet on every node", async () => {
    expect(await checks.daemonSetReady({ namespace: "kube-system", name: "kindnet" })(lab.ctx)).toEqual({ ok: true, message: "DaemonSet kube-system/kindnet has 2/2 pods ready." });
  });

  it("staticPodRunning passes etcd once it has run for the stable window", async () => {
    const r = await eventually(checks.staticPodRunning({ component: "etcd", stableSeconds: 1 }), true, "etcd to run steadily for 1 s");
    expect(r).toEqual({ ok: true, message: `etcd on ${CP} is running steadily.` });
  });

  it("servedCertValidFor passes the sim's serving certificate", async () => {
    expect(await checks.servedCertValidFor({ days: 30 })(lab.ctx)).toMatchObject({ ok: true, message: expect.stringMatching(/^The API server's certificate is valid until \d{4}-\d\d-\d\d\.$/) });
  });

  it("objectExists passes an object that is there, with its data", async () => {
    await kubectlOk(["-n", NS, "create", "configmap", "sentinel", "--from-literal=created=at-setup"]);
    expect(await checks.objectExists({ kind: "configmap", namespace: NS, name: "sentinel", data: { created: "at-setup" } })(lab.ctx)).toEqual({
      ok: true,
      message: `configmap ${NS}/sentinel is still there.`,
    });
  });

  it("newPodsRunOnEveryNode passes", async () => {
    expect(await checks.newPodsRunOnEveryNode({ image: "nginx:1.27" })(lab.ctx)).toEqual({ ok: true, message: "New pods start and get an IP on all 2 node(s)." });
  });
});

describe("on a sim cluster in each wrong state", () => {
  it("deploymentAvailable fails a Deployment that does not exist", async () => {
    expect(await checks.deploymentAvailable({ namespace: NS, name: "nope" })(lab.ctx)).toEqual({
      ok: false,
      message: `Deployment ${NS}/nope does not exist.`,
      detail: { actual: "no such Deployment", expected: `Deployment ${NS}/nope with available replicas` },
    });
  });

  it("deploymentAvailable fails a template with another image", async () => {
    expect(await checks.deploymentAvailable({ namespace: NS, name: "web", image: "nginx:1.26" })(lab.ctx)).toEqual({
      ok: false,
      message: `Deployment ${NS}/web does not run the image it is supposed to run.`,
      detail: { actual: "image nginx:1.27", expected: "image nginx:1.26" },
    });
  });

  it("deploymentAvailable fails fewer replicas than asked for", async () => {
    expect(await checks.deploymentAvailable({ namespace: NS, name: "web", minReplicas: 3 })(lab.ctx)).toEqual({
      ok: false,
      message: `Deployment ${NS}/web is not fully available.`,
      detail: { actual: "2/3 available, 2 up to date, 2 pod(s) in all", expected: "3/3 available and up to date, no old pods left" },
    });
  });

  it("deploymentAvailable and podsHealthy fail pods whose image cannot be pulled", async () => {
    await lab.ctx.apply(deployment("broken", "nginx:1.27.9999", 1));
    const r = await eventually(checks.podsHealthy({ namespace: NS, labelSelector: "app=broken" }), false, "the broken pod to exist");
    expect(r.message).toBe(`1 of 1 pods with app=broken in ${NS} are not running and ready.`);
    const pulled = await eventually(
      async (ctx) => {
        const x = await checks.podsHealthy({ namespace: NS, labelSelector: "app=broken" })(ctx);
        return { ...x, ok: !/ErrImagePull|ImagePullBackOff/.test(x.detail?.actual ?? "") };
      },
      false,
      "the broken pod to fail its pull",
    );
    expect(pulled.detail).toEqual({ actual: expect.stringMatching(/^broken-[a-z0-9]+-[a-z0-9]+: (ErrImagePull|ImagePullBackOff)$/), expected: "every pod Running and ready" });
    expect(await checks.deploymentAvailable({ namespace: NS, name: "broken", image: "nginx:1.27.9999" })(lab.ctx)).toEqual({
      ok: false,
      message: `Deployment ${NS}/broken is not fully available.`,
      detail: { actual: "0/1 available, 1 up to date, 1 pod(s) in all", expected: "1/1 available and up to date, no old pods left" },
    });
  });

  it("deploymentAvailable fails when a pod runs another image than the template names, though every replica is available", async () => {
    await lab.ctx.apply(deployment("swapped", "nginx:1.27", 1));
    await eventually(checks.deploymentAvailable({ namespace: NS, name: "swapped" }), true, "lab/swapped to be available");
    const pod = (await kubectlOk(["-n", NS, "get", "pods", "-l", "app=swapped", "-o", "jsonpath={.items[0].metadata.name}"])).trim();
    await kubectlOk(["-n", NS, "set", "image", `pod/${pod}`, "main=busybox:1.36"]);
    const r = await eventually(
      async (ctx) => {
        const x = await checks.deploymentAvailable({ namespace: NS, name: "swapped", image: "nginx:1.27" })(ctx);
        // Until the kubelet has restarted the container, the pod still runs nginx.
        return x.ok || x.message.includes("is not fully available") ? { ...x, ok: true } : x;
      },
      false,
      "the swapped pod to run its new image",
    );
    expect(r).toEqual({
      ok: false,
      message: `Deployment ${NS}/swapped has pods that do not run the image it is supposed to run.`,
      detail: { actual: `pod ${pod} runs docker.io/library/busybox:1.36`, expected: "every pod runs image nginx:1.27" },
    });
    // The template alone says nginx:1.27: the check without an image still passes.
    expect((await checks.deploymentAvailable({ namespace: NS, name: "swapped" })(lab.ctx)).ok).toBe(true);
  });

  it("podsHealthy fails a selector that matches no pod", async () => {
    expect(await checks.podsHealthy({ namespace: NS, labelSelector: "app=none" })(lab.ctx)).toEqual({
      ok: false,
      message: `There are no pods with app=none in ${NS}.`,
      detail: { actual: "0 pods", expected: "at least 1 running pod" },
    });
  });

  it("daemonSetReady fails a DaemonSet that does not exist, and one that no node may run", async () => {
    expect(await checks.daemonSetReady({ namespace: NS, name: "agent" })(lab.ctx)).toEqual({
      ok: false,
      message: `DaemonSet ${NS}/agent does not exist.`,
      detail: { actual: "missing", expected: `DaemonSet ${NS}/agent present` },
    });
    await lab.ctx.apply(`apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: ${NS} }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      nodeSelector: { kubernetes.io/os: Linux }
      containers:
      - { name: main, image: "nginx:1.27" }
`);
    const r = await eventually(
      async (ctx) => {
        const x = await checks.daemonSetReady({ namespace: NS, name: "agent" })(ctx);
        // Wait for the controller to have looked at it (observedGeneration), then judge.
        const ds = await ctx.k8s.apps.readNamespacedDaemonSet({ namespace: NS, name: "agent" });
        return (ds.status?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 1) ? x : { ...x, ok: !x.ok };
      },
      false,
      "the DaemonSet controller to observe lab/agent",
    );
    expect(r).toEqual({
      ok: false,
      message: `DaemonSet ${NS}/agent is not running a ready pod on every node.`,
      detail: { actual: "desired 0, ready 0, up to date 0", expected: "desired ≥ 2, all ready and up to date" },
    });
    expect((await checks.daemonSetReady({ namespace: NS, name: "agent", onEveryNode: false })(lab.ctx)).detail?.expected).toBe("desired ≥ 1, all ready and up to date");
  });

  it("objectExists fails an object that is gone, and one whose data changed", async () => {
    expect(await checks.objectExists({ kind: "configmap", namespace: NS, name: "gone" })(lab.ctx)).toEqual({
      ok: false,
      message: `Something that existed before the problem started is gone: configmap ${NS}/gone.`,
      detail: { actual: `configmap ${NS}/gone not found`, expected: `configmap ${NS}/gone exists` },
    });
    await kubectlOk(["-n", NS, "create", "configmap", "changed", "--from-literal=created=later"]);
    expect(await checks.objectExists({ kind: "configmap", namespace: NS, name: "changed", data: { created: "at-setup", owner: "team" } })(lab.ctx)).toEqual({
      ok: false,
      message: `configmap ${NS}/changed exists but no longer holds what it held before.`,
      detail: { actual: "created=later, owner=(missing)", expected: "created=at-setup, owner=team" },
    });
  });

  it("staticPodRunning fails a component with no mirror pod and no container on that node", async () => {
    expect(await checks.staticPodRunning({ component: "etcd", node: WORKER })(lab.ctx)).toEqual({
      ok: false,
      message: `etcd is not reported as running on ${WORKER}.`,
      detail: { actual: `no pod kube-system/etcd-${WORKER}, and no etcd container on ${WORKER}`, expected: `pod kube-system/etcd-${WORKER} Running` },
    });
  });

  it("newPodsRunOnEveryNode fails from the pull error, long before its timeout", async () => {
    const r = await checks.newPodsRunOnEveryNode({ image: "nginx:1.27.9999", timeoutMs: 600_000 })(lab.ctx);
    expect(r).toEqual({
      ok: false,
      message: "New pods do not start on 2 of 2 node(s).",
      detail: { actual: `${CP}: the probe pod is ErrImagePull; ${WORKER}: the probe pod is ErrImagePull`, expected: "a new pod runs with an IP on every node" },
    });
  });

  it("newPodsRunOnEveryNode fails on a node whose kubelet has stopped, before the node is marked NotReady", async () => {
    const kubelet = (verb: string) => lab.ctx.node(WORKER).exec(["systemctl", verb, "kubelet"]);
    expect((await kubelet("stop")).code).toBe(0);
    try {
      const r = await checks.newPodsRunOnEveryNode({ image: "nginx:1.27", timeoutMs: 600_000 })(lab.ctx);
      expect(r).toEqual({
        ok: false,
        message: "New pods do not start on 1 of 2 node(s).",
        detail: { actual: `${WORKER}: the probe pod is still Pending on ${WORKER}, with no status from the node`, expected: "a new pod runs with an IP on every node" },
      });
      expect((await checks.nodesReady()(lab.ctx)).ok).toBe(true);
    } finally {
      expect((await kubelet("start")).code).toBe(0);
    }
  });

  it("with the CNI gone from a node and kindnet unable to run: nodesReady, daemonSetReady and newPodsRunOnEveryNode fail, the last from the node's state", async () => {
    await kubectlOk(["-n", "kube-system", "patch", "daemonset", "kindnet", "--type", "merge", "-p", '{"spec":{"template":{"spec":{"nodeSelector":{"kubernetes.io/os":"Linux"}}}}}']);
    fs.rmSync(lab.hostPath(WORKER, "/etc/cni/net.d/10-kindnet.conflist"));
    const nodes = await eventually(checks.nodesReady(), false, `${WORKER} to go NotReady`);
    expect(nodes).toEqual({
      ok: false,
      message: "1 of 2 node(s) are not Ready.",
      detail: { actual: `not Ready: ${WORKER}`, expected: `Ready: ${CP}, ${WORKER}` },
    });
    const ds = await eventually(checks.daemonSetReady({ namespace: "kube-system", name: "kindnet" }), false, "kindnet to be unschedulable");
    expect(ds).toMatchObject({ ok: false, message: "DaemonSet kube-system/kindnet is not running a ready pod on every node." });
    const r = await checks.newPodsRunOnEveryNode({ image: "nginx:1.27", timeoutMs: 600_000 })(lab.ctx);
    expect(r).toEqual({
      ok: false,
      message: "New pods do not start on 1 of 2 node(s).",
      detail: { actual: `${WORKER}: node ${WORKER} is NotReady`, expected: "a new pod runs with an IP on every node" },
    });
  });

  it("with etcd unreachable (reads hang, /readyz fails), the checks fail from /readyz instead of waiting for the reads", async () => {
    // As kube-apiserver does without etcd: every read that needs it hangs far past any check's bound.
    lab.sim.api.setBackendFailure({ delayMs: 600_000 });
    try {
      const notReady = "the API server is not ready (/readyz answered 500)";
      expect(await checks.nodesReady()(lab.ctx)).toEqual({
        ok: false,
        message: "The API server is not answering, so the nodes' state cannot be confirmed yet.",
        detail: { actual: notReady, expected: "the API server answers" },
      });
      expect((await checks.staticPodRunning({ component: "etcd" })(lab.ctx)).detail?.actual).toBe(notReady);
      expect((await checks.deploymentAvailable({ namespace: NS, name: "web", image: "nginx:1.27" })(lab.ctx)).detail?.actual).toBe(notReady);
      expect(await checks.objectExists({ kind: "configmap", namespace: NS, name: "sentinel" })(lab.ctx)).toEqual({
        ok: false,
        message: `The API server is not answering, so configmap ${NS}/sentinel cannot be confirmed yet.`,
        detail: { actual: notReady, expected: `configmap ${NS}/sentinel exists` },
      });
      const probes = await checks.newPodsRunOnEveryNode({ image: "nginx:1.27", timeoutMs: 600_000 })(lab.ctx);
      expect(probes.detail?.actual).toBe(`${CP}: could not read node ${CP}: ${notReady}; ${WORKER}: could not read node ${WORKER}: ${notReady}`);
    } finally {
      lab.sim.api.setBackendFailure(null);
    }
  });

  it("with the API server gone, every check fails fast saying it is not answering", async () => {
    await lab.sim.stop();
    stopped = true;
    const refused = "the API server refused the connection";
    expect(await checks.apiAnswers()(lab.ctx)).toEqual({
      ok: false,
      message: "The API server is not answering requests yet.",
      detail: { actual: refused, expected: "/readyz answers ok" },
    });
    const viaClient = [
      [checks.nodesReady(), "the nodes' state"],
      [checks.deploymentAvailable({ namespace: NS, name: "web" }), `Deployment ${NS}/web`],
      [checks.podsHealthy({ namespace: NS, labelSelector: "app=web" }), `the pods with app=web in ${NS}`],
      [checks.daemonSetReady({ namespace: "kube-system", name: "kindnet" }), "DaemonSet kube-system/kindnet"],
      [checks.staticPodRunning({ component: "etcd" }), "that etcd is running"],
    ] as const;
    for (const [run, what] of viaClient)
      expect(await run(lab.ctx)).toEqual({
        ok: false,
        message: `The API server is not answering, so ${what} cannot be confirmed yet.`,
        detail: { actual: refused, expected: "the API server answers" },
      });
    expect(await checks.objectExists({ kind: "configmap", namespace: NS, name: "sentinel" })(lab.ctx)).toEqual({
      ok: false,
      message: `The API server is not answering, so configmap ${NS}/sentinel cannot be confirmed yet.`,
      detail: { actual: refused, expected: `configmap ${NS}/sentinel exists` },
    });
    expect(await checks.servedCertValidFor({ days: 30 })(lab.ctx)).toMatchObject({
      ok: false,
      message: "The API server does not complete a TLS handshake yet.",
      detail: { actual: refused },
    });
    const probes = await checks.newPodsRunOnEveryNode({ image: "nginx:1.27", timeoutMs: 600_000 })(lab.ctx);
    expect(probes).toMatchObject({ ok: false, message: "New pods do not start on 2 of 2 node(s)." });
    expect(probes.detail?.actual).toMatch(new RegExp(`^${CP}: could not read node ${CP}: .*ECONNREFUSED`));
  });
});
