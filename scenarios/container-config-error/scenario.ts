import { z } from "zod";
import { checks } from "@/lib/scenarios/checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";

const NS = "shop";
const DB_NS = "db";
const APP = "orders";
const IMAGE = "nginx:1.27";
const CONFIGMAP = "app-config";
const SECRET = "db-creds";
/** The database team's Secret: the source of truth that shop/db-creds is a copy of. */
const DB_SECRET = "orders-db-credentials";
/** What the app's settings must be (the brief documents them). */
const CONFIG = { LOG_LEVEL: "info", DB_HOST: "orders-db.db.svc.cluster.local" };
const CREDS = { username: "orders", password: "Xq4t-orders-7Lm2" };

/** The app's environment: variable → where it comes from. */
const ENV: { name: string; from: "configMap" | "secret"; key: string }[] = [
  { name: "LOG_LEVEL", from: "configMap", key: "LOG_LEVEL" },
  { name: "DB_HOST", from: "configMap", key: "DB_HOST" },
  { name: "DB_USER", from: "secret", key: "username" },
  { name: "DB_PASSWORD", from: "secret", key: "password" },
];
const EXPECTED_ENV: Record<string, string> = { LOG_LEVEL: CONFIG.LOG_LEVEL, DB_HOST: CONFIG.DB_HOST, DB_USER: CREDS.username, DB_PASSWORD: CREDS.password };

const b64 = (s: string) => Buffer.from(s).toString("base64");

const configMapYaml = (data: Record<string, string>) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${CONFIGMAP}
  namespace: ${NS}
data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
  .join("\n")}
`;

const secretYaml = (ns: string, name: string, creds: { username: string; password: string }) => `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
  namespace: ${ns}
type: Opaque
data:
  username: ${b64(creds.username)}
  password: ${b64(creds.password)}
`;

const envYaml = () =>
  ENV.map(
    (e) => `        - name: ${e.name}
          valueFrom:
            ${e.from === "configMap" ? `configMapKeyRef: { name: ${CONFIGMAP}, key: ${e.key} }` : `secretKeyRef: { name: ${SECRET}, key: ${e.key} }`}`,
  ).join("\n");

const deploymentYaml = () => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${APP}
  namespace: ${NS}
spec:
  replicas: 1
  # The app holds a lock on its queue: never two copies at once.
  strategy:
    type: Recreate
  selector:
    matchLabels: { app: ${APP} }
  template:
    metadata:
      labels: { app: ${APP} }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: ${APP}
        image: ${IMAGE}
        ports:
        - containerPort: 80
        env:
${envYaml()}
`;

const setupYaml = () => `apiVersion: v1
kind: Namespace
metadata:
  name: ${DB_NS}
---
${secretYaml(DB_NS, DB_SECRET, CREDS)}---
apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
${configMapYaml(CONFIG)}---
${secretYaml(NS, SECRET, CREDS)}---
${deploymentYaml()}`;

async function kubectlOk(ctx: ScenarioContext, argv: string[]): Promise<string> {
  const r = await ctx.kubectl(argv);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

const available = checks.deploymentAvailable({ namespace: NS, name: APP, image: IMAGE });

async function setup(ctx: ScenarioContext): Promise<void> {
  await ctx.apply(setupYaml());
  await checks.until(ctx, available, { timeoutMs: 180_000, what: `Deployment ${NS}/${APP} to be available` });
}

/**
 * New pods are created from now on (the old one is gone: the strategy is Recreate).
 * kubectl stamps the restart with a time to the second and refuses a second restart in the same
 * second ("if restart has already been triggered within the past second, please wait…"), which a
 * reset right after an inject can hit, on any cluster. Then it waits out the second and tries again.
 */
async function restart(ctx: ScenarioContext): Promise<void> {
  const argv = ["-n", NS, "rollout", "restart", `deployment/${APP}`];
  await ctx.waitFor(
    async () => {
      const r = await ctx.kubectl(argv);
      if (r.code === 0) return true;
      if (/within the past second/.test(r.stderr)) return false;
      throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
    },
    { timeoutMs: 10_000, intervalMs: 1_100, what: `kubectl to restart deployment/${APP}` },
  );
}

async function rolledOut(ctx: ScenarioContext): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "rollout", "status", `deployment/${APP}`, "--timeout=150s"]);
}

/** Puts the variant's fault in place; safe to run again on an already broken lab. */
async function breakConfig(ctx: ScenarioContext, variant: Variant): Promise<void> {
  switch (variant.id) {
    case "missing-configmap":
      await kubectlOk(ctx, ["-n", NS, "delete", "configmap", CONFIGMAP, "--ignore-not-found"]);
      break;
    case "missing-secret":
      await kubectlOk(ctx, ["-n", NS, "delete", "secret", SECRET, "--ignore-not-found"]);
      break;
    case "missing-key": {
      const has = await kubectlOk(ctx, ["-n", NS, "get", "configmap", CONFIGMAP, "-o", "jsonpath={.data.LOG_LEVEL}"]);
      if (has.trim()) await kubectlOk(ctx, ["-n", NS, "patch", "configmap", CONFIGMAP, "--type", "json", "-p", '[{"op":"remove","path":"/data/LOG_LEVEL"}]']);
      break;
    }
    default:
      throw new Error(`unknown variant ${variant.id}`);
  }
}

const dataSchema = z.object({ data: z.record(z.string(), z.string()).nullish() }).loose();

async function readData(ctx: ScenarioContext, kind: "configmap" | "secret", ns: string, name: string): Promise<Record<string, string> | "not found" | { error: string }> {
  const r = await ctx.kubectl(["-n", ns, "get", kind, name, "-o", "json"], { timeoutMs: 20_000 });
  if (r.code !== 0) return /NotFound|not found/.test(r.stderr) ? "not found" : { error: r.stderr.trim() || `kubectl exited ${r.code}` };
  const parsed = dataSchema.safeParse(JSON.parse(r.stdout));
  const data = parsed.success ? (parsed.data.data ?? {}) : {};
  return kind === "secret" ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")])) : data;
}

/** ConfigMap shop/app-config and Secret shop/db-creds exist and hold what the app needs. */
async function configPresent(ctx: ScenarioContext): Promise<CheckResult> {
  const want: { kind: "configmap" | "secret"; name: string; data: Record<string, string> }[] = [
    { kind: "configmap", name: CONFIGMAP, data: CONFIG },
    { kind: "secret", name: SECRET, data: CREDS },
  ];
  for (const w of want) {
    const what = `${w.kind === "configmap" ? "ConfigMap" : "Secret"} ${NS}/${w.name}`;
    const got = await readData(ctx, w.kind, NS, w.name);
    if (got === "not found") return { ok: false, message: `The app's settings are incomplete: ${what} does not exist.`, detail: { actual: `${what} not found`, expected: `${what} exists` } };
    if ("error" in got) return { ok: false, message: `${what} cannot be read yet.`, detail: { actual: String(got.error), expected: `${what} can be read` } };
    const missing = Object.keys(w.data).filter((k) => !(k in got));
    const wrong = Object.keys(w.data).filter((k) => k in got && got[k] !== w.data[k]);
    if (missing.length || wrong.length)
      return {
        ok: false,
        message: `${what} does not hold the settings the app needs.`,
        // Key names only: values (a password) stay out of the report.
        detail: { actual: [...missing.map((k) => `${k} missing`), ...wrong.map((k) => `${k} has another value`)].join(", "), expected: `keys ${Object.keys(w.data).join(", ")} with the team's values` },
      };
  }
  return { ok: true, message: `${NS}/${CONFIGMAP} and ${NS}/${SECRET} hold the app's settings.` };
}

const refSchema = z.object({ name: z.string().optional(), key: z.string().optional(), optional: z.boolean().nullish() }).loose();
const containerSchema = z
  .object({
    name: z.string(),
    env: z.array(z.object({ name: z.string(), value: z.string().optional(), valueFrom: z.object({ configMapKeyRef: refSchema.optional(), secretKeyRef: refSchema.optional() }).loose().optional() }).loose()).nullish(),
    envFrom: z.array(z.object({ prefix: z.string().optional(), configMapRef: refSchema.optional(), secretRef: refSchema.optional() }).loose()).nullish(),
  })
  .loose();

/**
 * Each variable still comes from the team's ConfigMap/Secret, not optionally: an `env` entry
 * with the right reference, or an `envFrom` of the whole object (no prefix). A literal value or
 * `optional: true` would let the pod start without the shared settings.
 */
async function referencesIntact(ctx: ScenarioContext): Promise<CheckResult> {
  const r = await ctx.kubectl(["-n", NS, "get", "deployment", APP, "-o", "jsonpath={.spec.template.spec.containers}"], { timeoutMs: 20_000 });
  if (r.code !== 0) return { ok: false, message: `Deployment ${NS}/${APP} cannot be read.`, detail: { actual: r.stderr.trim(), expected: `Deployment ${NS}/${APP} exists` } };
  const parsed = z.array(containerSchema).safeParse(JSON.parse(r.stdout || "[]"));
  const c = parsed.success ? parsed.data.find((x) => x.name === APP) : undefined;
  if (!c) return { ok: false, message: `Deployment ${NS}/${APP} no longer has its ${APP} container.`, detail: { actual: "no such container", expected: `container ${APP}` } };
  const bad: string[] = [];
  for (const e of ENV) {
    const objName = e.from === "configMap" ? CONFIGMAP : SECRET;
    const entry = (c.env ?? []).find((x) => x.name === e.name);
    let ok: boolean;
    if (entry) {
      const ref = e.from === "configMap" ? entry.valueFrom?.configMapKeyRef : entry.valueFrom?.secretKeyRef;
      ok = !!ref && ref.name === objName && ref.key === e.key && !ref.optional;
    } else {
      ok = (c.envFrom ?? []).some((f) => {
        const ref = e.from === "configMap" ? f.configMapRef : f.secretRef;
        return !!ref && ref.name === objName && !ref.optional && (f.prefix ?? "") === "" && e.key === e.name;
      });
    }
    if (!ok) bad.push(e.name);
  }
  if (bad.length)
    return {
      ok: false,
      message: `The app no longer takes all of its settings from ${NS}/${CONFIGMAP} and ${NS}/${SECRET}.`,
      detail: { actual: `${bad.join(", ")} not taken (or only optionally) from the shared config`, expected: `${ENV.map((e) => e.name).join(", ")} from ${CONFIGMAP}/${SECRET}, required` },
    };
  return { ok: true, message: `The app still takes its settings from ${NS}/${CONFIGMAP} and ${NS}/${SECRET}.` };
}

const podListSchema = z.object({ items: z.array(z.object({ metadata: z.object({ name: z.string(), deletionTimestamp: z.string().nullish() }).loose() }).loose()) }).loose();

/** A running pod of the app really has the settings in its environment (`kubectl exec … env`). */
async function appSeesConfig(ctx: ScenarioContext): Promise<CheckResult> {
  const list = await ctx.kubectl(["-n", NS, "get", "pods", "-l", `app=${APP}`, "--field-selector=status.phase=Running", "-o", "json"], { timeoutMs: 20_000 });
  const parsed = list.code === 0 ? podListSchema.safeParse(JSON.parse(list.stdout)) : undefined;
  // A pod on its way out does not count: it is not the app that keeps running.
  const pods = parsed?.success ? parsed.data.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name) : [];
  if (!pods.length) return { ok: false, message: `No pod of ${NS}/${APP} is running, so its settings cannot be read.`, detail: { actual: "no running pod", expected: "a running pod" } };
  for (const pod of pods) {
    const r = await ctx.kubectl(["-n", NS, "exec", pod, "-c", APP, "--", "env"], { timeoutMs: 20_000 });
    if (r.code !== 0) return { ok: false, message: `The environment of pod ${pod} cannot be read yet.`, detail: { actual: r.stderr.trim(), expected: "kubectl exec … env succeeds" } };
    const env = Object.fromEntries(
      r.stdout
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    const wrong = Object.keys(EXPECTED_ENV).filter((k) => env[k] !== EXPECTED_ENV[k]);
    if (wrong.length)
      return {
        ok: false,
        message: `Pod ${pod} runs without the settings the app needs.`,
        detail: { actual: wrong.map((k) => (k in env ? `${k} has another value` : `${k} unset`)).join(", "), expected: `${Object.keys(EXPECTED_ENV).join(", ")} set to the team's values` },
      };
  }
  return { ok: true, message: `The app's pods run with their settings.` };
}

/** The container's env as the team wrote it, as JSON. */
const envJson = () =>
  ENV.map((e) => ({ name: e.name, valueFrom: e.from === "configMap" ? { configMapKeyRef: { name: CONFIGMAP, key: e.key } } : { secretKeyRef: { name: SECRET, key: e.key } } }));

/**
 * Restores the container's env as the team wrote it (after an anti-solution edited it). A JSON
 * patch, not apply: apply keeps fields it never set, such as an added `optional: true`.
 */
async function restoreDeployment(ctx: ScenarioContext): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "patch", "deployment", APP, "--type", "json", "-p", JSON.stringify([{ op: "add", path: "/spec/template/spec/containers/0/env", value: envJson() }])]);
}

export default defineScenario({
  id: "container-config-error",
  title: "The app's pods never start",
  summary:
    "The shop's orders app was restarted and its pod never comes up: no container is created at all. Find what the node refuses to start it without, and bring the app back with the settings the team documented.",
  domain: "workloads",
  difficulty: "easy",
  minutes: 15,
  // One node is enough: the Deployment tolerates the control-plane taint.
  cluster: { workers: 0 },
  images: [IMAGE],
  // The kubelet retries a container with a config error on its next pod sync (about every 10 s).
  settleMs: 60_000,
  variants: [
    { id: "missing-configmap", title: "The app's ConfigMap was deleted", failingAfterInject: ["orders-available", "config-present", "app-sees-config"] },
    { id: "missing-secret", title: "The app's database Secret was deleted", failingAfterInject: ["orders-available", "config-present", "app-sees-config"] },
    { id: "missing-key", title: "A key the app needs was dropped from its ConfigMap", failingAfterInject: ["orders-available", "config-present", "app-sees-config"] },
  ],
  setup,
  async inject(ctx, variant) {
    await breakConfig(ctx, variant);
    await restart(ctx);
  },
  checks: [
    {
      id: "orders-available",
      title: `Deployment ${NS}/${APP} runs ${IMAGE} and is available`,
      points: 3,
      timeoutMs: 30_000,
      run: available,
    },
    {
      id: "config-present",
      title: `ConfigMap ${NS}/${CONFIGMAP} and Secret ${NS}/${SECRET} hold the app's settings`,
      points: 2,
      timeoutMs: 30_000,
      run: configPresent,
    },
    {
      id: "references-intact",
      title: `The app still takes its settings from ${CONFIGMAP} and ${SECRET}, not optionally`,
      points: 2,
      timeoutMs: 30_000,
      run: referencesIntact,
    },
    {
      id: "app-sees-config",
      title: "The running app has its settings in its environment",
      points: 2,
      timeoutMs: 30_000,
      run: appSeesConfig,
    },
  ],
  hints: [
    {
      text: "`kubectl -n shop get pods` shows the pod's STATUS. `kubectl -n shop describe pod <pod>` shows the container's waiting reason and, at the bottom, the kubelet's `Failed` event: read its whole message.",
      cost: 1,
    },
    {
      text: "The kubelet builds the container's environment before it creates the container. Compare what the pod spec asks for (`kubectl -n shop get deploy orders -o yaml`, under `env`) with what exists in the namespace (`kubectl -n shop get configmap,secret`, `kubectl -n shop describe configmap app-config`).",
      cost: 2,
    },
    {
      text: "A pod can only read ConfigMaps and Secrets of its own namespace. The settings are documented in the brief; the database credentials are owned by the database team in namespace `db` (`kubectl -n db get secrets`). Recreate what is missing in `shop` with the same content rather than changing the Deployment.",
      cost: 4,
    },
  ],
  async solve(ctx, variant) {
    if (variant.id === "missing-secret") {
      const src = await readData(ctx, "secret", DB_NS, DB_SECRET);
      if (typeof src === "string" || "error" in src) throw new Error(`cannot read Secret ${DB_NS}/${DB_SECRET}`);
      await kubectlOk(ctx, ["-n", NS, "delete", "secret", SECRET, "--ignore-not-found"]);
      await kubectlOk(ctx, ["-n", NS, "create", "secret", "generic", SECRET, `--from-literal=username=${src.username ?? ""}`, `--from-literal=password=${src.password ?? ""}`]);
    } else {
      await ctx.apply(configMapYaml(CONFIG));
    }
    // No restart: the kubelet retries the waiting container and now resolves its environment.
    await rolledOut(ctx);
  },
  antiSolutions: [
    {
      id: "drop-references",
      title: "Remove the env references so the pod starts without its config",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", APP, "--type", "json", "-p", '[{"op":"remove","path":"/spec/template/spec/containers/0/env"}]']);
        await rolledOut(ctx);
      },
      revert: restoreDeployment,
    },
    {
      id: "optional-references",
      title: "Mark every reference `optional: true`",
      async apply(ctx) {
        const ops = ENV.map((e, i) => ({ op: "add", path: `/spec/template/spec/containers/0/env/${i}/valueFrom/${e.from === "configMap" ? "configMapKeyRef" : "secretKeyRef"}/optional`, value: true }));
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", APP, "--type", "json", "-p", JSON.stringify(ops)]);
        await rolledOut(ctx);
      },
      revert: restoreDeployment,
    },
    {
      id: "literal-values",
      title: "Write the documented values straight into the Deployment",
      async apply(ctx) {
        const env = Object.entries(EXPECTED_ENV).map(([name, value]) => ({ name, value }));
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", APP, "--type", "json", "-p", JSON.stringify([{ op: "add", path: "/spec/template/spec/containers/0/env", value: env }])]);
        await rolledOut(ctx);
      },
      revert: restoreDeployment,
    },
    {
      id: "made-up-values",
      title: "Create the missing object with invented values",
      async apply(ctx, variant) {
        if (variant.id === "missing-secret") {
          await kubectlOk(ctx, ["-n", NS, "create", "secret", "generic", SECRET, "--from-literal=username=admin", "--from-literal=password=changeme"]);
        } else if (variant.id === "missing-key") {
          await kubectlOk(ctx, ["-n", NS, "patch", "configmap", CONFIGMAP, "--type", "merge", "-p", '{"data":{"LOG_LEVEL":"debug"}}']);
        } else {
          await ctx.apply(configMapYaml({ LOG_LEVEL: "debug", DB_HOST: "localhost" }));
        }
        await rolledOut(ctx);
      },
      // No revert: inject() deletes the invented object (or the key) again and restarts the pods.
    },
  ],
});
