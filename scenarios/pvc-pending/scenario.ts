import { checks } from "@/lib/scenarios/checks";
import type { CheckResult, ScenarioContext } from "@/lib/scenarios/context";
import { defineScenario, type Variant } from "@/lib/scenarios/define-scenario";

const NS = "ledger";
const APP = "ledger";
const CLAIM = "ledger-data";
const VOLUME = "ledger-data";
const VOLUME_PATH = "/var/local/ledger";
const IMAGE = "nginx:1.27";
const MOUNT = "/usr/share/nginx/html";

/** The volume the storage admin made by hand: 2Gi, one node at a time, class "manual", kept on release. */
const volumeYaml = (tier: string) => `apiVersion: v1
kind: PersistentVolume
metadata:
  name: ${VOLUME}
  labels: { tier: ${tier} }
spec:
  capacity: { storage: 2Gi }
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  persistentVolumeReclaimPolicy: Retain
  hostPath: { path: ${VOLUME_PATH}, type: DirectoryOrCreate }
`;

interface ClaimShape {
  storageClassName: string;
  accessMode: string;
  storage: string;
}
const GOOD_CLAIM: ClaimShape = { storageClassName: "manual", accessMode: "ReadWriteOnce", storage: "1Gi" };

/** The claim the team writes: it selects the ledger's volume by label. */
const claimYaml = (c: ClaimShape) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${CLAIM}
  namespace: ${NS}
spec:
  storageClassName: ${c.storageClassName}
  accessModes: [${c.accessMode}]
  resources:
    requests: { storage: ${c.storage} }
  selector:
    matchLabels: { tier: ledger }
`;

const claimVolume = { name: "data", persistentVolumeClaim: { claimName: CLAIM } };

const deploymentYaml = () => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${APP}
  namespace: ${NS}
spec:
  replicas: 1
  strategy: { type: Recreate }
  selector:
    matchLabels: { app: ${APP} }
  template:
    metadata:
      labels: { app: ${APP} }
    spec:
      tolerations:
      - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
      containers:
      - name: web
        image: ${IMAGE}
        ports:
        - containerPort: 80
        volumeMounts:
        - { name: data, mountPath: ${MOUNT} }
      volumes:
      - { name: data, persistentVolumeClaim: { claimName: ${CLAIM} } }
`;

async function kubectlOk(ctx: ScenarioContext, argv: string[], timeoutMs?: number): Promise<string> {
  const r = await ctx.kubectl(argv, timeoutMs ? { timeoutMs } : undefined);
  if (r.code !== 0) throw new Error(`kubectl ${argv.join(" ")} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

const available = checks.deploymentAvailable({ namespace: NS, name: APP, image: IMAGE });

async function rolledOut(ctx: ScenarioContext): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "rollout", "status", `deployment/${APP}`, "--timeout=150s"], 160_000);
}

/** No pod of the app is left, so its claim can go (a claim in use by a running pod waits for it). */
async function stopApp(ctx: ScenarioContext): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "scale", `deployment/${APP}`, "--replicas=0"]);
  await ctx.waitFor(
    async () => (await kubectlOk(ctx, ["-n", NS, "get", "pods", "-l", `app=${APP}`, "-o", "name"])).trim() === "",
    { timeoutMs: 120_000, what: `the pods of ${NS}/${APP} to be gone` },
  );
}

async function startApp(ctx: ScenarioContext): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "scale", `deployment/${APP}`, "--replicas=1"]);
}

/** Deletes the claim and makes the volume reusable: a Retain volume keeps its old claimRef (Released) until an admin clears it. */
async function freeVolume(ctx: ScenarioContext): Promise<void> {
  await kubectlOk(ctx, ["-n", NS, "delete", "pvc", CLAIM, "--ignore-not-found", "--wait=true"], 120_000);
  await kubectlOk(ctx, ["patch", "pv", VOLUME, "--type", "merge", "-p", '{"spec":{"claimRef":null}}']);
  await ctx.waitFor(
    async () => (await kubectlOk(ctx, ["get", "pv", VOLUME, "-o", "jsonpath={.status.phase}"])).trim() === "Available",
    { timeoutMs: 60_000, what: `PersistentVolume ${VOLUME} to be Available` },
  );
}

const VARIANTS = ["storage-class", "access-mode", "size", "selector"] as const;
type VariantId = (typeof VARIANTS)[number];
function vid(v: Variant): VariantId {
  if (!(VARIANTS as readonly string[]).includes(v.id)) throw new Error(`unknown variant ${v.id}`);
  return v.id as VariantId;
}

/** The claim as the variant's change left it. */
function brokenClaim(v: VariantId): ClaimShape {
  switch (v) {
    case "storage-class":
      return { ...GOOD_CLAIM, storageClassName: "fast-ssd" };
    case "access-mode":
      return { ...GOOD_CLAIM, accessMode: "ReadWriteMany" };
    case "size":
      return { ...GOOD_CLAIM, storage: "5Gi" };
    case "selector":
      return GOOD_CLAIM;
  }
}

interface PvcView {
  spec?: { volumeName?: string; resources?: { requests?: { storage?: string } } };
  status?: { phase?: string };
}
interface PvView {
  metadata?: { name?: string };
  spec?: { capacity?: { storage?: string }; hostPath?: { path?: string }; persistentVolumeReclaimPolicy?: string };
}
interface DeploymentView {
  spec?: {
    template?: {
      spec?: {
        containers?: { name: string; volumeMounts?: { name: string; mountPath: string }[] }[];
        volumes?: { name: string; persistentVolumeClaim?: { claimName?: string }; emptyDir?: unknown; hostPath?: unknown }[];
      };
    };
  };
}

async function getJson<T>(ctx: ScenarioContext, argv: string[]): Promise<{ obj?: T; fail?: CheckResult }> {
  const r = await ctx.kubectl([...argv, "-o", "json"]);
  if (r.code !== 0) return { fail: { ok: false, message: `kubectl ${argv.join(" ")} failed.`, detail: { actual: r.stderr.trim(), expected: "the object exists" } } };
  return { obj: JSON.parse(r.stdout) as T };
}

/** Mebibytes in a storage quantity (Gi, Mi, G, M, plain bytes). */
function mebibytes(q: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q ?? "");
  if (!m) return NaN;
  const n = Number(m[1]);
  const f: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024, k: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576, T: 1e12 / 1048576 };
  return m[2] ? n * f[m[2]]! : n / 1048576;
}

/** The claim is Bound, to the ledger's own volume (not a new one). */
async function claimBound(ctx: ScenarioContext): Promise<CheckResult> {
  const { obj, fail } = await getJson<PvcView>(ctx, ["-n", NS, "get", "pvc", CLAIM]);
  if (!obj) return fail!;
  const phase = obj.status?.phase ?? "Pending";
  if (phase !== "Bound") return { ok: false, message: `Claim ${NS}/${CLAIM} is ${phase}.`, detail: { actual: phase, expected: `Bound to PersistentVolume ${VOLUME}` } };
  if (obj.spec?.volumeName !== VOLUME)
    return { ok: false, message: `Claim ${NS}/${CLAIM} is bound to another volume: the ledger's files are on ${VOLUME}.`, detail: { actual: `volumeName: ${obj.spec?.volumeName}`, expected: `volumeName: ${VOLUME}` } };
  return { ok: true, message: `Claim ${NS}/${CLAIM} is bound to ${VOLUME}.` };
}

/** The app still keeps its files on the claim, mounted where nginx serves from. */
async function appUsesClaim(ctx: ScenarioContext): Promise<CheckResult> {
  const { obj, fail } = await getJson<DeploymentView>(ctx, ["-n", NS, "get", "deployment", APP]);
  if (!obj) return fail!;
  const spec = obj.spec?.template?.spec;
  const vol = (spec?.volumes ?? []).find((v) => v.persistentVolumeClaim?.claimName === CLAIM);
  const mounted = vol && (spec?.containers ?? []).some((c) => (c.volumeMounts ?? []).some((m) => m.name === vol.name && m.mountPath === MOUNT));
  if (!mounted) {
    const actual = (spec?.volumes ?? []).map((v) => `${v.name}: ${v.persistentVolumeClaim ? `claim ${v.persistentVolumeClaim.claimName}` : v.emptyDir ? "emptyDir" : v.hostPath ? "hostPath" : "other"}`).join(", ");
    return { ok: false, message: `The app no longer mounts claim ${CLAIM} at ${MOUNT}.`, detail: { actual: actual || "no volumes", expected: `claim ${CLAIM} mounted at ${MOUNT}` } };
  }
  return { ok: true, message: `The app mounts claim ${CLAIM} at ${MOUNT}.` };
}

/** The ledger's volume is still there, as the admin made it: same path, same size, kept on release. */
async function volumeKept(ctx: ScenarioContext): Promise<CheckResult> {
  const { obj, fail } = await getJson<PvView>(ctx, ["get", "pv", VOLUME]);
  if (!obj) return fail!;
  const wrong: string[] = [];
  if (obj.spec?.hostPath?.path !== VOLUME_PATH) wrong.push(`path ${obj.spec?.hostPath?.path ?? "(none)"}`);
  if (mebibytes(obj.spec?.capacity?.storage) !== 2048) wrong.push(`capacity ${obj.spec?.capacity?.storage}`);
  if (obj.spec?.persistentVolumeReclaimPolicy !== "Retain") wrong.push(`reclaim policy ${obj.spec?.persistentVolumeReclaimPolicy}`);
  if (wrong.length) return { ok: false, message: `PersistentVolume ${VOLUME} was changed: the disk behind it did not.`, detail: { actual: wrong.join(", "), expected: `${VOLUME_PATH}, 2Gi, Retain` } };
  return { ok: true, message: `PersistentVolume ${VOLUME} is unchanged.` };
}

/** The claim still asks for the 1Gi the ledger needs. */
async function claimSize(ctx: ScenarioContext): Promise<CheckResult> {
  const { obj, fail } = await getJson<PvcView>(ctx, ["-n", NS, "get", "pvc", CLAIM]);
  if (!obj) return fail!;
  const q = obj.spec?.resources?.requests?.storage;
  if (!(mebibytes(q) >= 1024)) return { ok: false, message: `Claim ${NS}/${CLAIM} asks for less than the ledger needs.`, detail: { actual: q ?? "no request", expected: "at least 1Gi" } };
  return { ok: true, message: `Claim ${NS}/${CLAIM} asks for ${q}.` };
}

async function setup(ctx: ScenarioContext): Promise<void> {
  await ctx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n---\n${volumeYaml("ledger")}---\n${claimYaml(GOOD_CLAIM)}---\n${deploymentYaml()}`);
  await checks.until(ctx, checks.allOf(available, claimBound), { timeoutMs: 180_000, what: `Deployment ${NS}/${APP} to be available on claim ${CLAIM}` });
}

export default defineScenario({
  id: "pvc-pending",
  title: "The app waits for its volume",
  summary: "The ledger app's claim was re-created and now stays Pending, and so does the app's pod. Find out why the claim does not bind to the volume that holds the ledger, and fix it without losing the data.",
  domain: "storage",
  difficulty: "medium",
  minutes: 20,
  cluster: { workers: 0 },
  images: [IMAGE],
  settleMs: 60_000,
  variants: [
    { id: "storage-class", title: "The claim names a storage class that does not exist", failingAfterInject: ["claim-bound", "app-available"] },
    { id: "access-mode", title: "The claim asks for an access mode the volume does not offer", failingAfterInject: ["claim-bound", "app-available"] },
    { id: "size", title: "The claim asks for more than the volume holds", failingAfterInject: ["claim-bound", "app-available"] },
    { id: "selector", title: "The volume's labels no longer match the claim's selector", failingAfterInject: ["claim-bound", "app-available"] },
  ],
  setup,
  async inject(ctx, variant) {
    const v = vid(variant);
    await stopApp(ctx);
    await freeVolume(ctx);
    // selector: a colleague relabelled the volume while tidying up; the claim still selects tier=ledger.
    await kubectlOk(ctx, ["label", "pv", VOLUME, `tier=${v === "selector" ? "archive" : "ledger"}`, "--overwrite"]);
    await ctx.apply(claimYaml(brokenClaim(v)));
    await startApp(ctx);
  },
  checks: [
    { id: "claim-bound", title: `Claim ${NS}/${CLAIM} is bound to PersistentVolume ${VOLUME}`, points: 3, timeoutMs: 30_000, run: claimBound },
    { id: "app-available", title: `Deployment ${NS}/${APP} runs ${IMAGE} and is available`, points: 3, timeoutMs: 30_000, run: available },
    { id: "app-uses-claim", title: `The app keeps its files on claim ${CLAIM}`, points: 1, timeoutMs: 15_000, run: appUsesClaim },
    { id: "volume-kept", title: `PersistentVolume ${VOLUME} is unchanged (path, 2Gi, Retain)`, points: 1, timeoutMs: 15_000, run: volumeKept },
    { id: "claim-size", title: `Claim ${NS}/${CLAIM} still asks for at least 1Gi`, points: 1, timeoutMs: 15_000, run: claimSize },
  ],
  hints: [
    { text: "`kubectl -n ledger get pods,pvc` shows what waits for what. `kubectl -n ledger describe pvc ledger-data` ends with the volume controller's events.", cost: 1 },
    { text: "A claim binds to a volume only if everything matches: storage class name, access modes, a capacity at least the request, and the claim's label selector. Compare `kubectl get pv ledger-data -o yaml --show-labels` with the claim, field by field.", cost: 2 },
    { text: "A claim's spec cannot be edited once created: delete it and create it again with the right fields. A volume's labels can be changed in place. The Released volume needs its old `claimRef` removed before it binds again.", cost: 4 },
  ],
  async solve(ctx, variant) {
    if (vid(variant) === "selector") {
      await kubectlOk(ctx, ["label", "pv", VOLUME, "tier=ledger", "--overwrite"]);
    } else {
      // The pod is Pending (not on a node), so nothing holds the claim: delete it and write it again.
      await kubectlOk(ctx, ["-n", NS, "delete", "pvc", CLAIM, "--wait=true"], 120_000);
      await ctx.apply(claimYaml(GOOD_CLAIM));
    }
    await rolledOut(ctx);
  },
  antiSolutions: [
    {
      id: "emptydir",
      title: "Replace the claim with an emptyDir so the pod starts",
      async apply(ctx) {
        const op = [{ op: "replace", path: "/spec/template/spec/volumes/0", value: { name: "data", emptyDir: {} } }];
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", APP, "--type", "json", "-p", JSON.stringify(op)]);
      },
      async revert(ctx) {
        const op = [{ op: "replace", path: "/spec/template/spec/volumes/0", value: claimVolume }];
        await kubectlOk(ctx, ["-n", NS, "patch", "deployment", APP, "--type", "json", "-p", JSON.stringify(op)]);
      },
    },
    {
      id: "dynamic-claim",
      title: "Re-create the claim on the default storage class (a new, empty volume)",
      async apply(ctx) {
        await kubectlOk(ctx, ["-n", NS, "delete", "pvc", CLAIM, "--wait=true"], 120_000);
        await ctx.apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${CLAIM}
  namespace: ${NS}
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: { storage: 1Gi }
`);
      },
    },
    {
      id: "second-volume",
      title: "Create another volume that fits the claim as it is",
      async apply(ctx, variant) {
        const c = brokenClaim(vid(variant));
        await ctx.apply(`apiVersion: v1
kind: PersistentVolume
metadata:
  name: ${VOLUME}-2
  labels: { tier: ledger }
spec:
  capacity: { storage: 5Gi }
  accessModes: [${c.accessMode}]
  storageClassName: ${c.storageClassName}
  persistentVolumeReclaimPolicy: Retain
  hostPath: { path: ${VOLUME_PATH}-2, type: DirectoryOrCreate }
`);
      },
      async revert(ctx) {
        await stopApp(ctx);
        await kubectlOk(ctx, ["-n", NS, "delete", "pvc", CLAIM, "--ignore-not-found", "--wait=true"], 120_000);
        await kubectlOk(ctx, ["delete", "pv", `${VOLUME}-2`, "--ignore-not-found", "--wait=true"], 120_000);
      },
    },
  ],
});
