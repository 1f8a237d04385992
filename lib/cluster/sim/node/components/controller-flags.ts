import type { ControllerComponent } from "./kube-controller-model";

/**
 * The command-line flags kube-scheduler and kube-controller-manager (v1.32) define, so that a
 * misspelt or invented flag fails the way cobra/pflag fail it. Families with dozens of members
 * (`--concurrent-*-syncs`, `--cluster-signing-*`, `--horizontal-pod-autoscaler-*`) are matched by
 * prefix; everything else by name. Sources: the components' reference pages (kubernetes.io,
 * "kube-scheduler" and "kube-controller-manager" command line tools reference).
 */

/** Option sets both components share (component-base and apiserver's delegating authn/authz). */
const SHARED = [
  // secure serving
  "bind-address", "cert-dir", "http2-max-streams-per-connection", "permit-address-sharing", "permit-port-sharing", "secure-port",
  "tls-cert-file", "tls-cipher-suites", "tls-min-version", "tls-private-key-file", "tls-sni-cert-key",
  // authentication / authorization
  "authentication-kubeconfig", "authentication-skip-lookup", "authentication-token-webhook-cache-ttl", "authentication-tolerate-lookup-failure",
  "client-ca-file", "authorization-always-allow-paths", "authorization-kubeconfig", "authorization-webhook-cache-authorized-ttl",
  "authorization-webhook-cache-unauthorized-ttl",
  // leader election, client, debugging
  "leader-elect", "kubeconfig", "master", "kube-api-burst", "kube-api-content-type", "kube-api-qps", "contention-profiling", "profiling",
  // feature gates, metrics, logs
  "feature-gates", "emulated-version", "allow-metric-labels", "allow-metric-labels-manifest", "disabled-metrics", "show-hidden-metrics-for-version",
  "log-flush-frequency", "logging-format", "v", "vmodule", "help",
];
const SHARED_PREFIXES = ["leader-elect-", "requestheader-", "log-json-", "log-text-"];

const SCHEDULER = ["config", "write-config-to", "lock-object-name", "lock-object-namespace", "pod-max-in-unschedulable-pods-duration"];

const CONTROLLER_MANAGER = [
  "enable-leader-migration", "leader-migration-config", "allocate-node-cidrs", "cidr-allocator-type", "cloud-config", "cloud-provider",
  "cluster-cidr", "cluster-name", "configure-cloud-routes", "controller-start-interval", "controllers", "external-cloud-volume-plugin",
  "min-resync-period", "node-monitor-period", "route-reconciliation-period", "use-service-account-credentials",
  "disable-attach-detach-reconcile-sync", "attach-detach-reconcile-sync-period", "disable-force-detach-on-timeout",
  "endpoint-updates-batch-period", "endpointslice-updates-batch-period", "max-endpoints-per-slice", "enable-garbage-collector",
  "namespace-sync-period", "node-cidr-mask-size", "node-cidr-mask-size-ipv4", "node-cidr-mask-size-ipv6", "service-cluster-ip-range",
  "large-cluster-size-threshold", "node-eviction-rate", "node-monitor-grace-period", "node-startup-grace-period",
  "secondary-node-eviction-rate", "unhealthy-zone-threshold", "enable-dynamic-provisioning", "enable-hostpath-provisioner",
  "flex-volume-plugin-dir", "pvclaimbinder-sync-period", "volume-host-allow-local-loopback", "volume-host-cidr-denylist",
  "terminated-pod-gc-threshold", "resource-quota-sync-period", "root-ca-file", "service-account-private-key-file",
  "legacy-service-account-token-clean-up-period",
];
const CONTROLLER_MANAGER_PREFIXES = ["concurrent-", "cluster-signing-", "horizontal-pod-autoscaler-", "pv-recycler-", "mirroring-"];

const NAMES: Record<ControllerComponent, Set<string>> = {
  "kube-scheduler": new Set([...SHARED, ...SCHEDULER]),
  "kube-controller-manager": new Set([...SHARED, ...CONTROLLER_MANAGER]),
};
const PREFIXES: Record<ControllerComponent, string[]> = {
  "kube-scheduler": SHARED_PREFIXES,
  "kube-controller-manager": [...SHARED_PREFIXES, ...CONTROLLER_MANAGER_PREFIXES],
};

/** Whether the component defines the long flag `name` (without dashes). */
export function isKnownControllerFlag(component: ControllerComponent, name: string): boolean {
  return NAMES[component].has(name) || PREFIXES[component].some((p) => name.startsWith(p));
}

/**
 * pflag's complaint about the first flag on the command line the component does not define, or
 * null. A long flag gives `unknown flag: --name`; a single-dash one is read as shorthands, and
 * only `-h` and `-v` exist, so `-x…` gives `unknown shorthand flag: 'x' in -x…`.
 */
export function unknownFlagError(component: ControllerComponent, argv: string[]): string | null {
  for (const a of argv) {
    if (a === "--") return null;
    const long = /^--([^=]+)/.exec(a);
    if (long) {
      if (!isKnownControllerFlag(component, long[1]!)) return `unknown flag: --${long[1]}`;
      continue;
    }
    const short = /^-([^-=])/.exec(a);
    if (short && short[1] !== "h" && short[1] !== "v") return `unknown shorthand flag: '${short[1]}' in ${a.split("=")[0]}`;
  }
  return null;
}

/**
 * The start of the usage text cobra prints to stderr before the error (component-base's
 * cli.Run re-enables usage for flag errors; without a terminal pflag does not wrap, and aligns
 * each section's descriptions three spaces after its longest flag). Only the first section is
 * reproduced; the real text goes on for every flag section.
 */
export const USAGE_HEAD: Record<ControllerComponent, string[]> = {
  "kube-scheduler": [
    "Usage:",
    "  kube-scheduler [flags]",
    "",
    "Misc flags:",
    "",
    "      --config string            The path to the configuration file.",
    "      --master string            The address of the Kubernetes API server (overrides any value in kubeconfig)",
    "      --write-config-to string   If set, write the configuration values to this file and exit.",
    "",
  ],
  "kube-controller-manager": [
    "Usage:",
    "  kube-controller-manager [flags]",
    "",
    "Debugging flags:",
    "",
    "      --contention-profiling   Enable block profiling, if profiling is enabled",
    "      --profiling              Enable profiling via web interface host:port/debug/pprof/ (default true)",
    "",
  ],
};
