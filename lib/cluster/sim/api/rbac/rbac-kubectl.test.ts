import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batteryDriver, batterySkipReason, startBatteryCluster, type BatteryCluster } from "@/lib/testing/battery-cluster";

/**
 * RBAC as a learner meets it with the real kubectl: Roles and bindings in and across namespaces,
 * aggregated ClusterRoles, `auth can-i` (answers and exit codes, --list), impersonation and its
 * refusal, ServiceAccount tokens in a kubeconfig, `auth whoami`, and the apiserver's Forbidden
 * texts. Runs on the sim, or on kind with BREAKFIX_BATTERY_DRIVER=kind.
 */
const reason = await batterySkipReason("rbac-kubectl.test.ts");

const SETUP = `apiVersion: v1
kind: Namespace
metadata: { name: rb-a }
---
apiVersion: v1
kind: Namespace
metadata: { name: rb-b }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: pod-reader, namespace: rb-a }
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: alice-reads-pods, namespace: rb-a }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader }
subjects:
- { apiGroup: rbac.authorization.k8s.io, kind: User, name: alice }
- { apiGroup: rbac.authorization.k8s.io, kind: Group, name: rb-readers }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: rb-secret-reader }
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: bob-reads-secrets, namespace: rb-a }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: rb-secret-reader }
subjects:
- { apiGroup: rbac.authorization.k8s.io, kind: User, name: bob }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: rb-carol-reads-secrets }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: rb-secret-reader }
subjects:
- { apiGroup: rbac.authorization.k8s.io, kind: User, name: carol }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: rb-dave-views }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
subjects:
- { apiGroup: rbac.authorization.k8s.io, kind: User, name: dave }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: bot, namespace: rb-a }
`;

const AGGREGATED = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: rb-view-storageclasses
  labels: { rbac.authorization.k8s.io/aggregate-to-view: "true" }
rules:
- apiGroups: ["storage.k8s.io"]
  resources: ["storageclasses"]
  verbs: ["get", "list", "watch"]
`;

describe.skipIf(reason !== null)(`RBAC with kubectl (${batteryDriver()})${reason ? ` (skipped: ${reason})` : ""}`, () => {
  let c: BatteryCluster;
  /** A kubeconfig for ServiceAccount rb-a/bot: the admin's cluster, a bearer token instead of the client certificate. */
  let botConfig: string;

  const canI = async (...args: string[]) => {
    const r = await c.kubectl(["auth", "can-i", ...args]);
    return { answer: r.stdout.trim(), code: r.code };
  };

  /** The admin kubeconfig with its user's credentials replaced. */
  const kubeconfigWith = (file: string, user: Record<string, string>) => {
    const kc = YAML.parse(c.kubeconfigText) as { users: { name: string; user: Record<string, string> }[] };
    for (const u of kc.users) u.user = user;
    const p = path.join(c.dir, file);
    fs.writeFileSync(p, YAML.stringify(kc), { mode: 0o600 });
    return p;
  };

  beforeAll(async () => {
    c = await startBatteryCluster({ suite: "rbac" });
    const applied = await c.kubectl(["apply", "-f", "-"], { input: SETUP });
    expect(applied.code, applied.stderr).toBe(0);
    const token = await c.kubectl(["create", "token", "bot", "-n", "rb-a"]);
    expect(token.code, token.stderr).toBe(0);
    botConfig = kubeconfigWith("bot.kubeconfig", { token: token.stdout.trim() });
  }, 300_000);
  afterAll(() => c?.stop(), 300_000);

  it("answers auth can-i for the admin with yes and exit 0, and whoami names kubeadm's admin", async () => {
    expect(await canI("create", "deployments", "-n", "rb-a")).toEqual({ answer: "yes", code: 0 });
    expect(await canI("*", "*")).toEqual({ answer: "yes", code: 0 });
    const who = await c.kubectl(["auth", "whoami", "-o", "json"]);
    expect(who.code, who.stderr).toBe(0);
    const info = (JSON.parse(who.stdout) as { status: { userInfo: { username: string; groups: string[] } } }).status.userInfo;
    expect(info.username).toBe("kubernetes-admin");
    expect(info.groups).toEqual(expect.arrayContaining(["kubeadm:cluster-admins", "system:authenticated"]));
  });

  it("limits a Role and its RoleBinding to their namespace", async () => {
    expect(await canI("list", "pods", "-n", "rb-a", "--as", "alice")).toEqual({ answer: "yes", code: 0 });
    expect(await canI("list", "pods", "-n", "rb-b", "--as", "alice")).toEqual({ answer: "no", code: 1 });
    expect(await canI("delete", "pods", "-n", "rb-a", "--as", "alice")).toEqual({ answer: "no", code: 1 });
    expect((await c.kubectl(["get", "pods", "-n", "rb-a", "--as", "alice"])).stderr).toBe("No resources found in rb-a namespace.\n");
    const denied = await c.kubectl(["get", "pods", "-n", "rb-b", "--as", "alice"]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "rb-b"\n');
    const named = await c.kubectl(["get", "pod", "web", "-n", "rb-b", "--as", "alice"]);
    expect(named.stderr).toBe('Error from server (Forbidden): pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "rb-b"\n');
    const grouped = await c.kubectl(["get", "deployments", "-n", "rb-a", "--as", "alice"]);
    expect(grouped.stderr).toBe('Error from server (Forbidden): deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" in the namespace "rb-a"\n');
    const cluster = await c.kubectl(["get", "nodes", "--as", "alice"]);
    expect(cluster.stderr).toBe('Error from server (Forbidden): nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope\n');
  });

  it("grants a ClusterRole in one namespace through a RoleBinding and everywhere through a ClusterRoleBinding", async () => {
    expect(await canI("get", "secrets", "-n", "rb-a", "--as", "bob")).toEqual({ answer: "yes", code: 0 });
    expect(await canI("get", "secrets", "-n", "rb-b", "--as", "bob")).toEqual({ answer: "no", code: 1 });
    expect(await canI("list", "secrets", "--all-namespaces", "--as", "bob")).toEqual({ answer: "no", code: 1 });
    expect(await canI("get", "secrets", "-n", "rb-b", "--as", "carol")).toEqual({ answer: "yes", code: 0 });
    expect(await canI("list", "secrets", "--all-namespaces", "--as", "carol")).toEqual({ answer: "yes", code: 0 });
    expect((await c.kubectl(["get", "secrets", "-A", "--as", "carol"])).code).toBe(0);
  });

  it("takes groups from --as-group", async () => {
    expect(await canI("list", "pods", "-n", "rb-a", "--as", "erin")).toEqual({ answer: "no", code: 1 });
    expect(await canI("list", "pods", "-n", "rb-a", "--as", "erin", "--as-group", "rb-readers")).toEqual({ answer: "yes", code: 0 });
    const who = await c.kubectl(["auth", "whoami", "--as", "erin", "--as-group", "rb-readers", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}"]);
    expect(who.stdout).toBe('erin ["rb-readers","system:authenticated"]');
  });

  it("lists what a user may do in a namespace (auth can-i --list)", async () => {
    const r = await c.kubectl(["auth", "can-i", "--list", "-n", "rb-a", "--as", "alice"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
    expect(r.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(r.stdout).toMatch(/^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    expect(r.stdout).toMatch(/^\s+\[\/healthz\]\s+\[\]\s+\[get\]$/m);
    const other = await c.kubectl(["auth", "can-i", "--list", "-n", "rb-b", "--as", "alice"]);
    expect(other.stdout).not.toMatch(/^pods\s/m);
  });

  it("adds an aggregated ClusterRole's rules to view", async () => {
    expect(await canI("list", "storageclasses", "--as", "dave")).toEqual({ answer: "no", code: 1 });
    expect(await canI("list", "pods", "-n", "rb-b", "--as", "dave")).toEqual({ answer: "yes", code: 0 });
    expect((await c.kubectl(["apply", "-f", "-"], { input: AGGREGATED })).code).toBe(0);
    // The clusterrole-aggregation controller takes a moment on a real cluster.
    const end = Date.now() + 30_000;
    let last = await canI("list", "storageclasses", "--as", "dave");
    while (last.answer !== "yes" && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 500));
      last = await canI("list", "storageclasses", "--as", "dave");
    }
    expect(last).toEqual({ answer: "yes", code: 0 });
    // The controller wrote the rule into view itself (and so into edit and admin, which aggregate view).
    for (const role of ["view", "edit", "admin"]) {
      const rules = (await c.kubectl(["get", "clusterrole", role, "-o", "jsonpath={.rules[*].resources}"])).stdout;
      expect(rules, role).toContain('"storageclasses"');
    }
    expect((await c.kubectl(["get", "storageclasses", "--as", "dave", "-o", "name"])).stdout).toContain("storageclass.storage.k8s.io/standard");
  });

  it("answers a SubjectAccessReview about another user", async () => {
    const sar = (user: string, namespace: string) =>
      c.kubectl(["create", "-f", "-", "-o", "jsonpath={.status.allowed}"], {
        input: YAML.stringify({
          apiVersion: "authorization.k8s.io/v1",
          kind: "SubjectAccessReview",
          spec: { user, resourceAttributes: { namespace, verb: "list", resource: "pods" } },
        }),
      });
    expect((await sar("alice", "rb-a")).stdout).toBe("true");
    expect((await sar("alice", "rb-b")).stdout).toBe("false");
  });

  it("authenticates a ServiceAccount token from kubectl create token, with only its own permissions", async () => {
    const who = await c.kubectl(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}"], { kubeconfig: botConfig });
    expect(who.stdout).toBe('system:serviceaccount:rb-a:bot ["system:serviceaccounts","system:serviceaccounts:rb-a","system:authenticated"]');
    const denied = await c.kubectl(["get", "pods", "-n", "rb-a"], { kubeconfig: botConfig });
    expect(denied.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:rb-a:bot" cannot list resource "pods" in API group "" in the namespace "rb-a"\n');
    const bound = await c.kubectl(["create", "rolebinding", "bot-reads-pods", "-n", "rb-a", "--role=pod-reader", "--serviceaccount=rb-a:bot"]);
    expect(bound.code, bound.stderr).toBe(0);
    expect((await c.kubectl(["get", "pods", "-n", "rb-a"], { kubeconfig: botConfig })).stderr).toBe("No resources found in rb-a namespace.\n");
    expect(await canI("list", "pods", "-n", "rb-a", "--as", "system:serviceaccount:rb-a:bot")).toEqual({ answer: "yes", code: 0 });
  });

  it("refuses impersonation to a user without the impersonate verb", async () => {
    const r = await c.kubectl(["get", "pods", "-n", "rb-a", "--as", "alice"], { kubeconfig: botConfig });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (Forbidden): users "alice" is forbidden: User "system:serviceaccount:rb-a:bot" cannot impersonate resource "users" in API group "" at the cluster scope\n');
  });

  it("refuses a token with a wrong signature as Unauthorized", async () => {
    const token = YAML.parse(fs.readFileSync(botConfig, "utf8")).users[0].user.token as string;
    const [h, p, s] = token.split(".");
    const flipped = `${h}.${p}.${s!.startsWith("A") ? "B" : "A"}${s!.slice(1)}`;
    const forged = kubeconfigWith("forged.kubeconfig", { token: flipped });
    const r = await c.kubectl(["get", "pods", "-n", "rb-a"], { kubeconfig: forged });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: You must be logged in to the server (Unauthorized)");
  });

  it("lets anonymous requests read /version but not the API (system:public-info-viewer only)", async () => {
    // kubectl with no credentials would prompt for them, so this asks over HTTPS directly.
    const kc = YAML.parse(c.kubeconfigText) as { clusters: { cluster: { server: string; "certificate-authority-data": string } }[] };
    const { server, "certificate-authority-data": ca } = kc.clusters[0]!.cluster;
    const get = (p: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = https.get(`${server}${p}`, { ca: Buffer.from(ca, "base64") }, (res) => {
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
      });
    const version = await get("/version");
    expect(version.status).toBe(200);
    expect(version.body).toContain('"gitVersion"');
    expect((await get("/livez")).status).toBe(200);
    const pods = await get("/api/v1/namespaces/rb-a/pods");
    expect(pods.status).toBe(403);
    expect(JSON.parse(pods.body)).toMatchObject({
      kind: "Status",
      reason: "Forbidden",
      code: 403,
      message: 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "rb-a"',
      details: { kind: "pods" },
    });
    const api = await get("/api");
    expect(api.status).toBe(403);
    expect((JSON.parse(api.body) as { message: string }).message).toBe('forbidden: User "system:anonymous" cannot get path "/api"');
  });
});
