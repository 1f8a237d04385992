import type { IncomingMessage } from "node:http";
import { groupResource, RESOURCE_TYPES } from "../../store/resource-types";
import type { ObjectStore } from "../../store/object-store";
import type { ResourceTarget } from "../request-target";
import { writeExposition, type HistogramSample, type Labels, type MetricFamily, type Sample } from "./prometheus-text";

/**
 * The core of kube-apiserver's /metrics, from real counters of this process's requests: the
 * request counter and latency histogram with the apiserver's labels (endpoints/metrics: verb
 * LIST/WATCH/APPLY, scope resource/namespace/cluster, dry_run), in-flight requests by kind,
 * long-running requests, stored objects per resource, build info and the process collector.
 */

/** apiserver_request_duration_seconds' buckets (v1.32). */
const DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

/** Non-resource paths the apiserver names in the subresource label; the rest are "other". */
const NAMED_PATHS = ["/api", "/apis", "/healthz", "/livez", "/readyz", "/metrics", "/version", "/openapi/v2", "/openapi/v3"];

export interface RequestLabels extends Labels {
  verb: string;
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: "apiserver";
}

interface Series<T> {
  labels: Labels;
  value: T;
}

function key(l: Labels): string {
  return JSON.stringify(Object.entries(l).sort(([a], [b]) => a.localeCompare(b)));
}

/** cleanVerb/canonicalVerb + cleanScope of apiserver/pkg/endpoints/metrics. */
export function requestLabels(req: IncomingMessage, url: URL, target: ResourceTarget | undefined): RequestLabels {
  const method = (req.method ?? "GET").toUpperCase();
  const dryRun = [...new Set(url.searchParams.getAll("dryRun"))].sort().join(",");
  if (!target) {
    const p = url.pathname.replace(/\/+$/, "") || "/";
    const named = NAMED_PATHS.includes(p) || /^\/(healthz|livez|readyz)\/[^/]+$/.test(p) || p.startsWith("/openapi/v3/");
    return { verb: method, dry_run: dryRun, group: "", version: "", resource: "", subresource: named ? p : "", scope: "", component: "apiserver" };
  }
  const scope = target.name || method === "POST" ? "resource" : target.namespace ? "namespace" : "cluster";
  const watch = method === "GET" && (url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1");
  let verb = method === "HEAD" ? "GET" : method;
  if (verb === "GET" && scope !== "resource") verb = "LIST";
  if (watch) verb = "WATCH";
  if (method === "PATCH" && String(req.headers["content-type"] ?? "").split(";")[0]!.trim() === "application/apply-patch+yaml") verb = "APPLY";
  if (target.subresource && ["exec", "attach", "portforward", "proxy"].includes(target.subresource)) verb = "CONNECT";
  return {
    verb,
    dry_run: dryRun,
    group: target.rt.group,
    version: target.rt.version,
    resource: target.rt.resource,
    subresource: target.subresource ?? "",
    scope,
    component: "apiserver",
  };
}

export interface RequestTracker {
  end(labels: RequestLabels, code: number): void;
  longRunning(labels: RequestLabels): void;
}

const isLongRunning = (l: RequestLabels) => l.verb === "WATCH" || l.verb === "CONNECT" || (l.resource === "pods" && l.subresource === "log");

export class ApiServerMetrics {
  private readonly startedAt = Date.now() / 1000;
  private readonly totals = new Map<string, Series<number>>();
  private readonly durations = new Map<string, Series<HistogramSample>>();
  private readonly inflight = { mutating: 0, readOnly: 0 };
  private readonly longRunning = new Map<string, Series<number>>();

  constructor(private readonly gitVersion: string) {}

  /** Counts a request in flight until its end is recorded with the response code. */
  begin(req: IncomingMessage): RequestTracker {
    const kind = ["GET", "HEAD", "OPTIONS"].includes((req.method ?? "GET").toUpperCase()) ? "readOnly" : "mutating";
    const t0 = process.hrtime.bigint();
    let long: string | null = null;
    let ended = false;
    this.inflight[kind]++;
    return {
      end: (labels, code) => {
        if (ended) return;
        ended = true;
        if (long) this.longRunning.get(long)!.value--;
        else this.inflight[kind]--;
        const total: Labels = { ...labels, code: String(code) };
        const tk = key(total);
        const t = this.totals.get(tk) ?? { labels: total, value: 0 };
        t.value++;
        this.totals.set(tk, t);
        if (isLongRunning(labels)) return;
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        const dl: Labels = { ...labels };
        const dk = key(dl);
        const d = this.durations.get(dk) ?? { labels: dl, value: { labels: dl, counts: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 } };
        DURATION_BUCKETS.forEach((le, i) => {
          if (seconds <= le) d.value.counts[i]!++;
        });
        d.value.sum += seconds;
        d.value.count++;
        this.durations.set(dk, d);
      },
      longRunning: (labels) => {
        // A watch, exec or log stream leaves the max-in-flight gauge for the long-running one.
        if (!isLongRunning(labels) || long || ended) return;
        this.inflight[kind]--;
        const rest: Labels = { ...labels };
        delete rest.dry_run;
        long = key(rest);
        const s = this.longRunning.get(long) ?? { labels: rest, value: 0 };
        s.value++;
        this.longRunning.set(long, s);
      },
    };
  }

  /** The /metrics text. */
  exposition(store: ObjectStore): string {
    const [major, minor] = this.gitVersion.replace(/^v/, "").split(".");
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    const storage: Sample[] = [];
    for (const rt of RESOURCE_TYPES) {
      if (rt.virtual || rt.storageOf) continue;
      const gr = groupResource(rt);
      storage.push({ labels: { resource: gr }, value: store.list(gr).items.length });
    }
    const families: MetricFamily[] = [
      {
        name: "apiserver_request_total",
        help: "[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.",
        type: "counter",
        samples: [...this.totals.values()].map((s) => ({ labels: s.labels, value: s.value })),
      },
      {
        name: "apiserver_request_duration_seconds",
        help: "[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.",
        type: "histogram",
        buckets: DURATION_BUCKETS,
        samples: [...this.durations.values()].map((s) => s.value),
      },
      {
        name: "apiserver_current_inflight_requests",
        help: "[STABLE] Maximal number of currently used inflight request limit of this apiserver per request kind in last second.",
        type: "gauge",
        samples: [
          { labels: { request_kind: "mutating" }, value: this.inflight.mutating },
          { labels: { request_kind: "readOnly" }, value: this.inflight.readOnly },
        ],
      },
      {
        name: "apiserver_longrunning_requests",
        help: "[STABLE] Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.",
        type: "gauge",
        samples: [...this.longRunning.values()].map((s) => ({ labels: s.labels, value: s.value })),
      },
      {
        name: "apiserver_storage_objects",
        help: "[STABLE] Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.",
        type: "gauge",
        samples: storage,
      },
      {
        name: "kubernetes_build_info",
        help: "[ALPHA] A metric with a constant '1' value labeled by major, minor, git version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, and platform on which it is running.",
        type: "gauge",
        samples: [
          {
            labels: { build_date: "2025-02-12T21:26:09Z", compiler: "gc", git_commit: "67a30c0adcf52bd3f56ff0893ce19966be12991f", git_tree_state: "clean", git_version: this.gitVersion, go_version: "go1.23.6", major: major ?? "1", minor: minor ?? "32", platform: "linux/amd64" },
            value: 1,
          },
        ],
      },
      { name: "process_start_time_seconds", help: "[ALPHA] Start time of the process since unix epoch in seconds.", type: "gauge", samples: [{ labels: {}, value: this.startedAt }] },
      { name: "process_resident_memory_bytes", help: "[ALPHA] Resident memory size in bytes.", type: "gauge", samples: [{ labels: {}, value: mem.rss }] },
      { name: "process_cpu_seconds_total", help: "[ALPHA] Total user and system CPU time spent in seconds.", type: "counter", samples: [{ labels: {}, value: (cpu.user + cpu.system) / 1e6 }] },
    ];
    return writeExposition(families);
  }
}
