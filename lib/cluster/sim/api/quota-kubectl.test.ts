import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batteryDriver, batterySkipReason, startBatteryCluster, type BatteryCluster } from "@/lib/testing/battery-cluster";

/**
 * ResourceQuota and LimitRange through the real kubectl: discovery and printing, LimitRanger's
 * defaults and refusals, ResourceQuota's refusals and status.used, and a Deployment held back by
 * a quota (FailedCreate events, ReplicaFailure). Runs on the sim, or on kind with
 * BREAKFIX_BATTERY_DRIVER=kind; every assertion holds for a real v1.32 cluster.
 */

const reason = await batterySkipReason("quota-kubectl.test.ts");

function pod(name: string, resources: object | undefined, extra = ""): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: nginx:1.27
${resources ? `    resources: ${JSON.stringify(resources)}\n` : ""}${extra}`;
}

describe.skipIf(reason !== null)(`ResourceQuota and LimitRange with kubectl (${batteryDriver()})${reason ? ` (skipped: ${reason})` : ""}`, () => {
  let c: BatteryCluster;
  const k = (args: string[], input?: string) => c.kubectl(args, input === undefined ? {} : { input });
  async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (await fn().catch(() => false)) return;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  const out = async (args: string[]) => (await k(args)).stdout;

  beforeAll(async () => {
    c = await startBatteryCluster({ suite: "quota" });
    for (const ns of ["qa", "qb", "qc", "qd", "qs", "la", "lb", "lq"]) expect((await k(["create", "namespace", ns])).code).toBe(0);
  }, 300_000);
  afterAll(() => c?.stop(), 300_000);

  it("serves both kinds with their short names, in discovery and OpenAPI", async () => {
    const res = await out(["api-resources", "--api-group="]);
    expect(res).toMatch(/^limitranges\s+limits\s+v1\s+true\s+LimitRange$/m);
    expect(res).toMatch(/^resourcequotas\s+quota\s+v1\s+true\s+ResourceQuota$/m);
    expect((await k(["get", "quota", "-n", "qa"])).stderr).toBe("No resources found in qa namespace.\n");
    expect((await k(["get", "limits", "-n", "qa"])).stderr).toBe("No resources found in qa namespace.\n");
    const explain = await out(["explain", "limitrange.spec.limits"]);
    expect(explain).toMatch(/defaultRequest\t<map\[string\]Quantity>/);
    expect(explain).toMatch(/type\t<string> -required-/);
    expect(await out(["explain", "resourcequota.spec"])).toMatch(/hard\t<map\[string\]Quantity>/);
  });

  it("rejects the usual mistakes in a ResourceQuota", async () => {
    const bad = await k(["create", "quota", "bad", "-n", "qa", "--hard=limit.cpu=1,pods=-1"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec.hard[limit.cpu]: Invalid value: "limit.cpu": must be a standard resource type or fully qualified');
    expect(bad.stderr).toContain('spec.hard[limit.cpu]: Invalid value: "limit.cpu": must be a standard resource for quota');
    expect(bad.stderr).toContain('spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0');
    const typo = await k(["apply", "-n", "qa", "-f", "-"], "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: typo\nspec:\n  hardd:\n    pods: \"1\"\n");
    expect(typo.stderr).toContain('ResourceQuota in version "v1" cannot be handled as a ResourceQuota: strict decoding error: unknown field "spec.hardd"');
    const nan = await k(["apply", "-n", "qa", "-f", "-"], "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: nan\nspec:\n  hard:\n    pods: abc\n");
    expect(nan.stderr).toContain(
      "ResourceQuota in version \"v1\" cannot be handled as a ResourceQuota: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  });

  it("refuses pods past a compute quota and keeps status.used current", async () => {
    expect((await k(["create", "quota", "q", "-n", "qa", "--hard=pods=2,requests.cpu=1,limits.memory=1Gi"])).stdout).toBe("resourcequota/q created\n");
    await until("status of quota q", async () => /pods: 0\/2/.test(await out(["get", "quota", "q", "-n", "qa"])));
    const table = await out(["get", "quota", "-n", "qa"]);
    expect(table).toMatch(/^NAME\s+AGE\s+REQUEST\s+LIMIT\n/);
    expect(table).toMatch(/^q\s+\S+\s+pods: 0\/2, requests\.cpu: 0\/1\s+limits\.memory: 0\/1Gi\n$/m);

    const none = await k(["apply", "-n", "qa", "-f", "-"], pod("nores", undefined));
    expect(none.stderr).toBe('Error from server (Forbidden): error when creating "STDIN": pods "nores" is forbidden: failed quota: q: must specify limits.memory for: app; requests.cpu for: app\n');

    const small = { requests: { cpu: "250m" }, limits: { memory: "256Mi" } };
    expect((await k(["apply", "-n", "qa", "-f", "-"], pod("p1", small))).code).toBe(0);
    expect((await k(["apply", "-n", "qa", "-f", "-"], pod("p2", small))).code).toBe(0);
    const third = await k(["apply", "-n", "qa", "-f", "-"], pod("p3", small));
    expect(third.stderr).toContain('pods "p3" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2');
    await until("used 2 pods", async () => /pods: 2\/2, requests\.cpu: 500m\/1\s+limits\.memory: 512Mi\/1Gi/.test(await out(["get", "quota", "q", "-n", "qa"])));
    const described = await out(["describe", "quota", "q", "-n", "qa"]);
    expect(described).toMatch(/^Name:\s+q\nNamespace:\s+qa\nResource\s+Used\s+Hard\n-+\s+-+\s+-+\n/);
    expect(described).toMatch(/^limits\.memory\s+512Mi\s+1Gi$/m);
    expect(described).toMatch(/^pods\s+2\s+2$/m);
    expect(described).toMatch(/^requests\.cpu\s+500m\s+1$/m);

    expect((await k(["delete", "pod", "p2", "-n", "qa", "--wait=false"])).code).toBe(0);
    await until("p2 gone", async () => (await k(["get", "pod", "p2", "-n", "qa"])).code !== 0);
    await until("used back to 1 pod", async () => /^pods\s+1\s+2$/m.test(await out(["describe", "quota", "q", "-n", "qa"])));
    expect((await k(["apply", "-n", "qa", "-f", "-"], pod("p3", small))).code).toBe(0);
    const big = await k(["apply", "-n", "qa", "-f", "-"], pod("big", { requests: { cpu: "1" }, limits: { memory: "256Mi" } }));
    expect(big.stderr).toContain('pods "big" is forbidden: exceeded quota: q, requested: pods=1,requests.cpu=1, used: pods=2,requests.cpu=500m, limited: pods=2,requests.cpu=1');
  }, 180_000);

  it("stores quota quantities in canonical form, on create and on update", async () => {
    const q = "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: canon\nspec:\n  hard:\n    requests.cpu: 1000m\n    requests.memory: 1024Mi\n    limits.cpu: \"0.5\"\n";
    expect((await k(["apply", "-n", "qb", "-f", "-"], q)).code).toBe(0);
    const hard = "jsonpath={.spec.hard.requests\\.cpu} {.spec.hard.requests\\.memory} {.spec.hard.limits\\.cpu}";
    expect(await out(["get", "quota", "canon", "-n", "qb", "-o", hard])).toBe("1 1Gi 500m");
    expect((await k(["patch", "quota", "canon", "-n", "qb", "--type=merge", "-p", '{"spec":{"hard":{"requests.memory":"2048Mi"}}}'])).code).toBe(0);
    expect(await out(["get", "quota", "canon", "-n", "qb", "-o", "jsonpath={.spec.hard.requests\\.memory}"])).toBe("2Gi");
    await until("status of quota canon", async () => (await out(["get", "quota", "canon", "-n", "qb", "-o", "jsonpath={.status.hard.requests\\.memory}"])) === "2Gi");
    expect((await k(["delete", "quota", "canon", "-n", "qb"])).code).toBe(0);
  });

  it("does not count finished pods toward pods, only toward count/pods", async () => {
    expect((await k(["create", "quota", "one", "-n", "qb", "--hard=pods=1,count/pods=5"])).code).toBe(0);
    await until("status of quota one", async () => /pods: 0\/1/.test(await out(["get", "quota", "one", "-n", "qb"])));
    expect((await k(["run", "done", "-n", "qb", "--image=busybox:1.36", "--restart=Never", "--", "sh", "-c", "echo done"])).code).toBe(0);
    await until("pod done Succeeded", async () => (await out(["get", "pod", "done", "-n", "qb", "-o", "jsonpath={.status.phase}"])) === "Succeeded", 120_000);
    await until("finished pod released", async () => {
      const d = await out(["describe", "quota", "one", "-n", "qb"]);
      return /^pods\s+0\s+1$/m.test(d) && /^count\/pods\s+1\s+5$/m.test(d);
    });
    expect((await k(["run", "next", "-n", "qb", "--image=nginx:1.27"])).stdout).toBe("pod/next created\n");
    const over = await k(["run", "over", "-n", "qb", "--image=nginx:1.27"]);
    expect(over.stderr).toBe('Error from server (Forbidden): pods "over" is forbidden: exceeded quota: one, requested: pods=1, used: pods=1, limited: pods=1\n');
  }, 180_000);

  it("counts configmaps, services, node ports, claims, storage and count/<resource>", async () => {
    const hard = "configmaps=2,services=2,services.nodeports=0,persistentvolumeclaims=1,requests.storage=1Gi,count/deployments.apps=1";
    expect((await k(["create", "quota", "objs", "-n", "qc", `--hard=${hard}`])).code).toBe(0);
    // Every namespace holds the kube-root-ca.crt ConfigMap.
    await until("status of quota objs", async () => /^configmaps\s+1\s+2$/m.test(await out(["describe", "quota", "objs", "-n", "qc"])));
    expect((await k(["create", "configmap", "a", "-n", "qc"])).code).toBe(0);
    expect((await k(["create", "configmap", "b", "-n", "qc"])).stderr).toBe(
      'error: failed to create configmap: configmaps "b" is forbidden: exceeded quota: objs, requested: configmaps=1, used: configmaps=2, limited: configmaps=2\n',
    );
    expect((await k(["create", "service", "nodeport", "np", "-n", "qc", "--tcp=80:80"])).stderr).toBe(
      'error: failed to create NodePort service: services "np" is forbidden: exceeded quota: objs, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0\n',
    );
    expect((await k(["create", "service", "clusterip", "cip", "-n", "qc", "--tcp=80:80"])).code).toBe(0);
    expect((await k(["create", "deployment", "d1", "-n", "qc", "--image=nginx:1.27", "--replicas=0"])).code).toBe(0);
    expect((await k(["create", "deployment", "d2", "-n", "qc", "--image=nginx:1.27", "--replicas=0"])).stderr).toBe(
      'error: failed to create deployment: deployments.apps "d2" is forbidden: exceeded quota: objs, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1\n',
    );
    const claim = (name: string, size: string) =>
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${name}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: ${size}\n`;
    expect((await k(["apply", "-n", "qc", "-f", "-"], claim("huge", "2Gi"))).stderr).toContain(
      'persistentvolumeclaims "huge" is forbidden: exceeded quota: objs, requested: requests.storage=2Gi, used: requests.storage=0, limited: requests.storage=1Gi',
    );
    expect((await k(["apply", "-n", "qc", "-f", "-"], claim("fits", "512Mi"))).code).toBe(0);
    await until("all counted", async () => {
      const d = await out(["describe", "quota", "objs", "-n", "qc"]);
      return [/^configmaps\s+2\s+2$/m, /^services\s+1\s+2$/m, /^persistentvolumeclaims\s+1\s+1$/m, /^requests\.storage\s+512Mi\s+1Gi$/m, /^count\/deployments\.apps\s+1\s+1$/m].every((re) => re.test(d));
    });
  }, 180_000);

  it("holds a Deployment back with FailedCreate and ReplicaFailure, and recovers when the quota grows", async () => {
    expect((await k(["create", "quota", "two", "-n", "qd", "--hard=pods=2"])).code).toBe(0);
    await until("status of quota two", async () => /pods: 0\/2/.test(await out(["get", "quota", "two", "-n", "qd"])));
    expect((await k(["create", "deployment", "web", "-n", "qd", "--image=nginx:1.27", "--replicas=3"])).code).toBe(0);
    await until("2 of 3 ready", async () => (await out(["get", "deploy", "web", "-n", "qd", "-o", "jsonpath={.status.readyReplicas}/{.spec.replicas}"])) === "2/3", 120_000);
    await until("ReplicaFailure on the ReplicaSet", async () => (await out(["get", "rs", "-n", "qd", "-l", "app=web", "-o", "jsonpath={.items[0].status.conditions[*].reason}"])).includes("FailedCreate"));
    const rs = await out(["describe", "rs", "-n", "qd", "-l", "app=web"]);
    expect(rs).toMatch(/ReplicaFailure\s+True\s+FailedCreate/);
    expect(rs).toMatch(/Warning\s+FailedCreate\s+.*replicaset-controller\s+Error creating: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: two, requested: pods=1, used: pods=2, limited: pods=2/);
    await until("ReplicaFailure on the Deployment", async () => /ReplicaFailure\s+True\s+FailedCreate/.test(await out(["describe", "deploy", "web", "-n", "qd"])));
    expect(await out(["get", "deploy", "web", "-n", "qd"])).toMatch(/^web\s+2\/3\s+2\s+2\s+/m);

    expect((await k(["patch", "quota", "two", "-n", "qd", "--type=merge", "-p", '{"spec":{"hard":{"pods":"5"}}}'])).code).toBe(0);
    await until("3 of 3 ready", async () => (await out(["get", "deploy", "web", "-n", "qd", "-o", "jsonpath={.status.readyReplicas}/{.spec.replicas}"])) === "3/3", 180_000);
    await until("ReplicaFailure cleared", async () => !(await out(["get", "rs", "-n", "qd", "-l", "app=web", "-o", "jsonpath={.items[0].status.conditions}"])).includes("ReplicaFailure"));
  }, 300_000);

  it("stops a StatefulSet at the claim a quota refuses, with the controller's events", async () => {
    expect((await k(["create", "quota", "pvcs", "-n", "qs", "--hard=persistentvolumeclaims=1"])).code).toBe(0);
    await until("status of quota pvcs", async () => /persistentvolumeclaims: 0\/1/.test(await out(["get", "quota", "pvcs", "-n", "qs"])));
    const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: nginx:1.27
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 100Mi}}
`;
    expect((await k(["apply", "-n", "qs", "-f", "-"], sts)).code).toBe(0);
    const refused = 'persistentvolumeclaims "data-db-1" is forbidden: exceeded quota: pvcs, requested: persistentvolumeclaims=1, used: persistentvolumeclaims=1, limited: persistentvolumeclaims=1';
    await until("claim refused", async () => (await out(["describe", "statefulset", "db", "-n", "qs"])).includes(refused), 180_000);
    const d = await out(["describe", "statefulset", "db", "-n", "qs"]);
    expect(d).toContain(`create Claim data-db-1 for Pod db-1 in StatefulSet db failed error: ${refused}`);
    expect(d).toContain(`create Pod db-1 in StatefulSet db failed error: failed to create PVC data-db-1: ${refused}`);
    expect((await k(["get", "pod", "db-1", "-n", "qs"])).code).toBe(1);
  }, 240_000);

  it("fills container defaults from a LimitRange and enforces its min and max", async () => {
    const lr = `apiVersion: v1
kind: LimitRange
metadata:
  name: lr
spec:
  limits:
  - type: Container
    max: {cpu: 500m, memory: 512Mi}
    min: {cpu: 50m}
    defaultRequest: {cpu: 100m}
  - type: PersistentVolumeClaim
    max: {storage: 1Gi}
`;
    expect((await k(["apply", "-n", "la", "-f", "-"], lr)).stdout).toBe("limitrange/lr created\n");
    expect(await out(["get", "limits", "-n", "la"])).toMatch(/^NAME\s+CREATED AT\nlr\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    // LimitRange defaulting: default ← max, defaultRequest ← default.
    expect(await out(["get", "limitrange", "lr", "-n", "la", "-o", "jsonpath={.spec.limits[0].default} {.spec.limits[0].defaultRequest}"])).toBe(
      '{"cpu":"500m","memory":"512Mi"} {"cpu":"100m","memory":"512Mi"}',
    );
    const described = await out(["describe", "limitrange", "lr", "-n", "la"]);
    expect(described).toMatch(/^Type\s+Resource\s+Min\s+Max\s+Default Request\s+Default Limit\s+Max Limit\/Request Ratio$/m);
    expect(described).toMatch(/^Container\s+cpu\s+50m\s+500m\s+100m\s+500m\s+-$/m);
    expect(described).toMatch(/^Container\s+memory\s+-\s+512Mi\s+512Mi\s+512Mi\s+-$/m);
    expect(described).toMatch(/^PersistentVolumeClaim\s+storage\s+-\s+1Gi\s+-\s+-\s+-$/m);

    expect((await k(["run", "plain", "-n", "la", "--image=nginx:1.27"])).code).toBe(0);
    expect(await out(["get", "pod", "plain", "-n", "la", "-o", "jsonpath={.spec.containers[0].resources}"])).toBe('{"limits":{"cpu":"500m","memory":"512Mi"},"requests":{"cpu":"100m","memory":"512Mi"}}');
    expect(await out(["get", "pod", "plain", "-n", "la", "-o", "jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}"])).toBe(
      "LimitRanger plugin set: cpu, memory request for container plain; cpu, memory limit for container plain",
    );
    expect(await out(["get", "pod", "plain", "-n", "la", "-o", "jsonpath={.status.qosClass}"])).toBe("Burstable");

    const big = await k(["apply", "-n", "la", "-f", "-"], pod("big", { limits: { cpu: "1" } }));
    expect(big.stderr).toBe('Error from server (Forbidden): error when creating "STDIN": pods "big" is forbidden: maximum cpu usage per Container is 500m, but limit is 1\n');
    const tiny = await k(["apply", "-n", "la", "-f", "-"], pod("tiny", { requests: { cpu: "10m" } }));
    expect(tiny.stderr).toContain('pods "tiny" is forbidden: minimum cpu usage per Container is 50m, but request is 10m');
    const both = await k(["apply", "-n", "la", "-f", "-"], pod("both", { requests: { cpu: "10m" }, limits: { cpu: "2", memory: "1Gi" } }));
    expect(both.stderr).toContain(
      'pods "both" is forbidden: [minimum cpu usage per Container is 50m, but request is 10m, maximum cpu usage per Container is 500m, but limit is 2, maximum memory usage per Container is 512Mi, but limit is 1Gi]',
    );
    // A request above the limit LimitRanger filled in fails pod validation.
    const over = await k(["apply", "-n", "la", "-f", "-"], pod("over", { requests: { cpu: "400m", memory: "1Gi" } }));
    expect(over.stderr).toContain('spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi');

    const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: inverted
spec:
  selector: {matchLabels: {app: inverted}}
  template:
    metadata: {labels: {app: inverted}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources: {requests: {cpu: "2"}, limits: {cpu: "1"}}
`;
    expect((await k(["apply", "-n", "la", "-f", "-"], deploy)).stderr).toContain(
      'The Deployment "inverted" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    );

    const claim = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: big\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 2Gi\n";
    expect((await k(["apply", "-n", "la", "-f", "-"], claim)).stderr).toContain(
      'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 2Gi',
    );
  }, 180_000);

  it("lets a LimitRange's defaults satisfy a quota's must-specify rule, and shows both in describe namespace", async () => {
    expect((await k(["create", "quota", "cpu", "-n", "lq", "--hard=requests.cpu=1,limits.cpu=2"])).code).toBe(0);
    const lr = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: cpu-defaults\nspec:\n  limits:\n  - type: Container\n    default: {cpu: 400m}\n    defaultRequest: {cpu: 200m}\n";
    expect((await k(["apply", "-n", "lq", "-f", "-"], lr)).code).toBe(0);
    await until("status of quota cpu", async () => /requests\.cpu: 0\/1/.test(await out(["get", "quota", "cpu", "-n", "lq"])));
    expect((await k(["run", "plain", "-n", "lq", "--image=nginx:1.27"])).stdout).toBe("pod/plain created\n");
    await until("defaults charged", async () => /^cpu\s+\S+\s+requests\.cpu: 200m\/1\s+limits\.cpu: 400m\/2$/m.test(await out(["get", "quota", "-n", "lq"])));
    const ns = await out(["describe", "namespace", "lq"]);
    expect(ns).toMatch(/^Resource Quotas\n\s+Name:\s+cpu\n\s+Resource\s+Used\s+Hard\n\s+-+\s+-+\s+-+\n\s+limits\.cpu\s+400m\s+2\n\s+requests\.cpu\s+200m\s+1\n/m);
    expect(ns).toMatch(/^Resource Limits\n\s+Type\s+Resource\s+Min\s+Max\s+Default Request\s+Default Limit\s+Max Limit\/Request Ratio\n.*\n\s+Container\s+cpu\s+-\s+-\s+200m\s+400m\s+-$/m);
    expect(await out(["describe", "namespace", "default"])).toMatch(/No resource quota\.\n\nNo LimitRange resource\./);
  });

  it("enforces maxLimitRequestRatio and rejects an inconsistent LimitRange", async () => {
    const ratio = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: ratio\nspec:\n  limits:\n  - type: Container\n    maxLimitRequestRatio: {cpu: \"2\"}\n";
    expect((await k(["apply", "-n", "lb", "-f", "-"], ratio)).code).toBe(0);
    const burst = await k(["apply", "-n", "lb", "-f", "-"], pod("burst", { requests: { cpu: "100m" }, limits: { cpu: "400m" } }));
    expect(burst.stderr).toContain('pods "burst" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000');
    const noLimit = await k(["apply", "-n", "lb", "-f", "-"], pod("nolimit", { requests: { cpu: "100m" } }));
    expect(noLimit.stderr).toContain('pods "nolimit" is forbidden: cpu max limit to request ratio per Container is 2, but no limit is specified or limit is 0');
    expect((await k(["apply", "-n", "lb", "-f", "-"], pod("fine", { requests: { cpu: "200m" }, limits: { cpu: "400m" } }))).code).toBe(0);

    const bad = "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: bad\nspec:\n  limits:\n  - type: Container\n    max: {cpu: 500m}\n    default: {cpu: \"1\"}\n";
    const r = await k(["apply", "-n", "lb", "-f", "-"], bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The LimitRange "bad" is invalid');
    expect(r.stderr).toMatch(/spec\.limits\[0\]\.default\[cpu\]: Invalid value: .*: default value 1 is greater than max value 500m/);
    expect(r.stderr).toMatch(/spec\.limits\[0\]\.defaultRequest\[cpu\]: Invalid value: .*: default request value 1 is greater than max value 500m/);
  }, 120_000);
});
