import { X509Certificate } from "node:crypto";

const notAfter = (pem: string) => new Date(new X509Certificate(pem).validTo);
import { parseKubeconfig } from "../kubeconfig-file";
import { addMs, klog, parseFlags, readInContainer, signedBy, type ComponentContext, type ComponentOutcome } from "./component-context";

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
  /** Why it cannot lead (the error it logs every retry), or null. */
  leaderError: string | null;
}

export function kubeControllerModel(component: ControllerComponent, ctx: ComponentContext): ControllerOutcome {
  const { flags } = parseFlags(ctx.container.command.slice(1).concat(ctx.container.args));
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
  return { run: { kind: "runs" }, logs, listen: [{ host: bind, port }], canLead: leaderError === null, leaderError };
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
