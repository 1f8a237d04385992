import { X509Certificate } from "node:crypto";
import { parseKubeconfig } from "../kubeconfig-file";
import { addMs, keyPairError, klog, parseFlags, readInContainer, signedBy, type ComponentContext, type ComponentOutcome } from "./component-context";
import { unknownFlagError, USAGE_HEAD } from "./controller-flags";

const notAfter = (pem: string) => new Date(new X509Certificate(pem).validTo);

/**
 * kube-scheduler and kube-controller-manager: both read --kubeconfig (through their file mount),
 * serve health on --secure-port, and only act while they hold their leader lease in kube-system.
 * A kubeconfig that is missing or unparsable stops them; one that does not authenticate leaves
 * them running but never leading, so nothing gets scheduled or reconciled.
 */

export type ControllerComponent = "kube-scheduler" | "kube-controller-manager";

const DEFAULT_PORT: Record<ControllerComponent, number> = { "kube-scheduler": 10259, "kube-controller-manager": 10257 };

export interface ControllerOutcome extends ComponentOutcome {
  /** Can talk to the apiserver and so can take and renew its lease. */
  canLead: boolean;
  /**
   * Whether its controllers run once it leads. False for a controller-manager that takes its
   * lease and then exits because a controller fails to start (a key file it cannot read): it
   * holds the lease for a moment, but nothing is reconciled. Absent = true.
   */
  startsControllers?: boolean;
  /** Why it cannot lead (the error it logs every retry), or null. */
  leaderError: string | null;
}

export function kubeControllerModel(component: ControllerComponent, ctx: ComponentContext): ControllerOutcome {
  const argv = ctx.container.command.slice(1).concat(ctx.container.args);
  const flagError = unknownFlagError(component, argv);
  if (flagError) {
    // Flag parsing fails before logging is set up: cobra's usage, then cli.Run's plain "Error: …".
    return { run: { kind: "exits", afterMs: 300, exitCode: 1, reason: "Error" }, logs: [...USAGE_HEAD[component], `Error: ${flagError}`], listen: [], canLead: false, leaderError: null };
  }
  const { flags } = parseFlags(argv);
  const t0 = ctx.now;
  const portRaw = flags.get("secure-port") ?? String(DEFAULT_PORT[component]);
  const port = Number(portRaw);
  const bind = flags.get("bind-address") ?? "0.0.0.0";
  const header = [klog("I", t0, "serving.go:386", "Generated self-signed cert in-memory")];
  const failed = (err: string): ControllerOutcome => ({
    run: { kind: "exits", afterMs: 1200, exitCode: 1, reason: "Error" },
    logs: [...header, klog("E", addMs(t0, 1100), "run.go:72", `"command failed" err="${err.replace(/"/g, '\\"')}"`)],
    listen: [],
    canLead: false,
    leaderError: null,
  });
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return { run: { kind: "exits", afterMs: 300, exitCode: 1, reason: "Error" }, logs: [`Error: invalid argument "${portRaw}" for "--secure-port" flag: strconv.ParseInt: parsing "${portRaw}": invalid syntax`], listen: [], canLead: false, leaderError: null };
  }
  const kcPath = flags.get("kubeconfig");
  if (!kcPath) return failed("no kubeconfig has been provided, please use a valid kubeconfig");
  const text = readInContainer(ctx, kcPath);
  if (text === null) return failed(`stat ${kcPath}: no such file or directory`);
  if (text.trim() === "") return failed("invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable");
  const kc = parseKubeconfig(text);
  if (!kc.ok) return failed(kc.error);

  const lease = `kube-system/${component}`;
  let leaderError: string | null = null;
  const api = ctx.apiserver;
  const { certPem, caPem } = kc.value;
  if (!api.serving) {
    leaderError = `error retrieving resource lock ${lease}: Get "${kc.value.server}/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${component}?timeout=5s": dial tcp ${new URL(kc.value.server).host}: connect: connection refused`;
  } else if (api.servingCertPem && caPem && !signedBy(api.servingCertPem, caPem)) {
    leaderError = `error retrieving resource lock ${lease}: Get "${kc.value.server}/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${component}?timeout=5s": tls: failed to verify certificate: x509: certificate signed by unknown authority`;
  } else if (api.servingCertPem && notAfter(api.servingCertPem) < ctx.now) {
    leaderError = `error retrieving resource lock ${lease}: Get "${kc.value.server}/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${component}?timeout=5s": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time ${ctx.now.toISOString().replace(/\.\d+Z$/, "Z")} is after ${notAfter(api.servingCertPem).toISOString().replace(/\.\d+Z$/, "Z")}`;
  } else if (!certPem || !api.clientCaPem || !signedBy(certPem, api.clientCaPem) || notAfter(certPem) < ctx.now) {
    leaderError = `error retrieving resource lock ${lease}: Unauthorized`;
  }
  if (!leaderError && api.controlPlaneRbac === false) {
    // Authenticated, but the store etcd serves has no bootstrap RBAC: everything is forbidden.
    return {
      run: { kind: "exits", afterMs: FORBIDDEN_EXIT_MS, exitCode: 1, reason: "Error" },
      logs: [
        ...header,
        klog("I", addMs(t0, 400), "secure_serving.go:213", `Serving securely on ${bind}:${port}`),
        ...forbiddenLogs(component, addMs(t0, 2500)),
      ],
      listen: [{ host: bind, port }],
      canLead: false,
      leaderError: forbiddenLeaseError(component),
    };
  }
  // Refused credentials also fail the delegated-authentication lookup (--authentication-kubeconfig,
  // kubeadm's same file), which the component tolerates and goes on without.
  const at = (i: number) => addMs(t0, 300 + i);
  const authnLookup =
    leaderError?.endsWith(": Unauthorized") && flags.has("authentication-kubeconfig")
      ? [
          klog("W", at(0), "requestheader_controller.go:204", "Unable to get configmap/extension-apiserver-authentication in kube-system.  Usually fixed by 'kubectl create rolebinding -n kube-system ROLEBINDING_NAME --role=extension-apiserver-authentication-reader --serviceaccount=YOUR_NS:YOUR_SA'"),
          klog("W", at(1), "authentication.go:397", "Error looking up in-cluster authentication configuration: Unauthorized"),
          klog("W", at(2), "authentication.go:398", "Continuing without authentication configuration. This may treat all requests as anonymous."),
          klog("W", at(3), "authentication.go:399", "To require authentication configuration lookup to succeed, set --authentication-tolerate-lookup-failure=false"),
        ]
      : [];
  const logs = [
    ...header,
    ...authnLookup,
    klog("I", addMs(t0, 400), "secure_serving.go:213", `Serving securely on ${bind}:${port}`),
    klog("I", addMs(t0, 420), "leaderelection.go:257", `attempting to acquire leader lease ${lease}...`),
  ];
  if (leaderError) logs.push(klog("E", addMs(t0, 2500), "leaderelection.go:436", leaderError));
  else logs.push(klog("I", addMs(t0, 2500), "leaderelection.go:271", `successfully acquired lease ${lease}`));
  const startError = leaderError === null && component === "kube-controller-manager" ? controllerStartError(ctx, flags) : null;
  if (startError) {
    // StartControllers returns the first error; Run logs it and exits 1, right after leading.
    const quoted = startError.err.replace(/"/g, '\\"');
    logs.push(
      klog("E", addMs(t0, 2600), "controllermanager.go:772", `"Error starting controller" err="${quoted}" controller="${startError.controller}"`),
      klog("E", addMs(t0, 2600), "controllermanager.go:344", `"Error starting controllers" err="${quoted}"`),
    );
    return { run: { kind: "exits", afterMs: 2700, exitCode: 1, reason: "Error" }, logs, listen: [{ host: bind, port }], canLead: true, startsControllers: false, leaderError: null };
  }
  return { run: { kind: "runs" }, logs, listen: [{ host: bind, port }], canLead: leaderError === null, leaderError };
}

/** What os.ReadFile says of a path the container cannot see (not mounted, or missing). */
function readError(ctx: ComponentContext, path: string): { text: string } | { error: string } {
  const text = readInContainer(ctx, path);
  return text === null ? { error: `open ${path}: no such file or directory` } : { text };
}

/**
 * The controller-manager's key files, in the order StartControllers meets them: the service
 * account token controller always starts first (--service-account-private-key-file,
 * --root-ca-file), then the CSR signing controller reads --cluster-signing-cert-file and
 * --cluster-signing-key-file (for its first signer, kubelet-serving). An empty or absent flag
 * only skips that controller; a path that cannot be read or parsed stops the process.
 */
function controllerStartError(ctx: ComponentContext, flags: Map<string, string>): { controller: string; err: string } | null {
  const sa = "serviceaccount-token-controller";
  const saKey = flags.get("service-account-private-key-file") ?? "";
  if (saKey) {
    const r = readError(ctx, saKey);
    if ("error" in r) return { controller: sa, err: `error reading key for service account token controller: ${r.error}` };
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(r.text))
      return { controller: sa, err: `error reading key for service account token controller: data does not contain a valid RSA or ECDSA private key` };
    const rootCa = flags.get("root-ca-file") ?? "";
    if (rootCa) {
      const ca = readError(ctx, rootCa);
      if ("error" in ca) return { controller: sa, err: `error parsing root-ca-file at ${rootCa}: ${ca.error}` };
      if (!ca.text.includes("-----BEGIN CERTIFICATE-----")) return { controller: sa, err: `error parsing root-ca-file at ${rootCa}: data does not contain any valid RSA or ECDSA certificates` };
    }
  }
  const certFile = flags.get("cluster-signing-cert-file") ?? "";
  const keyFile = flags.get("cluster-signing-key-file") ?? "";
  if (certFile && keyFile) {
    const csr = "certificatesigningrequest-signing-controller";
    const wrap = (e: string) => ({ controller: csr, err: `failed to start kubernetes.io/kubelet-serving certificate controller: error reading CA cert file "${certFile}": ${e}` });
    const cert = readError(ctx, certFile);
    if ("error" in cert) return wrap(cert.error);
    const key = readError(ctx, keyFile);
    if ("error" in key) return wrap(key.error);
    if (!cert.text.trim() || !key.text.trim()) return wrap(`missing content for serving cert "csr-controller::${certFile}::${keyFile}"`);
    const pair = keyPairError(cert.text, key.text);
    if (pair) return wrap(pair);
  }
  return null;
}

/** How long a component without RBAC runs before it gives up (the controller-manager's /healthz wait). */
export const FORBIDDEN_EXIT_MS = 10_000;

export function forbiddenLeaseError(component: ControllerComponent): string {
  return `error retrieving resource lock kube-system/${component}: leases.coordination.k8s.io "${component}" is forbidden: User "system:${component}" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "kube-system"`;
}

/**
 * What a scheduler or controller-manager logs when its user has no RBAC (a store without kubeadm's
 * bootstrap objects) and then exits: the controller-manager cannot pass its apiserver /healthz wait;
 * the scheduler never gets or keeps its lease.
 */
export function forbiddenLogs(component: ControllerComponent, at: Date): string[] {
  const user = `system:${component}`;
  const lines = [klog("E", at, "leaderelection.go:436", forbiddenLeaseError(component))];
  if (component === "kube-controller-manager") {
    lines.push(
      klog("E", addMs(at, FORBIDDEN_EXIT_MS - 2600), "run.go:72", `"command failed" err="failed to wait for apiserver being healthy: timed out waiting for the condition: failed to get apiserver /healthz status: forbidden: User \\"${user}\\" cannot get path \\"/healthz\\""`),
    );
  } else {
    lines.push(
      klog("E", addMs(at, 100), "reflector.go:158", `"Unhandled Error" err="k8s.io/client-go/informers/factory.go:160: Failed to watch *v1.Pod: failed to list *v1.Pod: pods is forbidden: User \\"${user}\\" cannot list resource \\"pods\\" in API group \\"\\" at the cluster scope" logger="UnhandledError"`),
      klog("E", addMs(at, FORBIDDEN_EXIT_MS - 2600), "server.go:304", '"leaderelection lost"'),
    );
  }
  return lines;
}
