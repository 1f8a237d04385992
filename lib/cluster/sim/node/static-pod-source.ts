import fs from "node:fs";
import path from "node:path";
import type { Pod } from "@/lib/cluster/sim/controllers/api-types";
import type { SimClock } from "@/lib/cluster/sim/clock";
import type { StaticPodSource } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import { klog } from "./components/component-context";
import { ignoredManifestName, parseStaticPodFile, type StaticPodFile } from "./static-pod-file";

/**
 * The kubelet's file source for static pods, over a node's real manifests directory: inotify
 * (fs.watch) plus a periodic re-list like fileCheckFrequency, names starting with "." skipped,
 * every other file a pod. A file that does not parse (half-written, mis-indented) is handled as
 * the kubelet does: the watch event logs "Unable to process watch event" and leaves the store
 * alone (the old pod keeps running); the next re-list logs "Could not process manifest file"
 * (again at every re-list) and drops the pod.
 *
 * Like pkg/kubelet/config/file.go, pods are kept in a store keyed by namespace/name (the name
 * already `<metadata.name>-<node>`), so two files with the same pod name are ONE pod, silently:
 * a full re-list (start, and every 20 s) stores the files in sorted order, so the last name wins
 * (etcd.yaml.bak over etcd.yaml); between re-lists a watch event stores the file that changed, so
 * an edit to the shadowed file wins until the next re-list puts the other back. The pod's UID
 * hashes the file name, so each swap is a new pod (SyncLoop REMOVE/ADD, containers restarted).
 * Only a copy whose metadata.name differs runs as a second pod.
 */
/** The kubelet's fileCheckFrequency (sim ms). */
const LIST_PERIOD_MS = 20_000;

export class ManifestStaticPodSource implements StaticPodSource {
  private pods = new Map<string, StaticPodFile>();
  private readonly subscribers = new Set<() => void>();
  private watcher: fs.FSWatcher | null = null;
  private cancelPoll: (() => void) | null = null;
  private debounce: NodeJS.Timeout | null = null;
  /** Per file, the unparsable text last reported (a watch event is logged once per change). */
  private readonly lastErrors = new Map<string, string>();
  /** File contents at the last scan, to tell which file a watch event was about. */
  private lastText = new Map<string, string>();
  /** Sim ms of the last full re-list (fileCheckFrequency). */
  private lastList = -Infinity;

  constructor(
    /** Host path of the node's /etc/kubernetes/manifests. */
    private readonly hostDir: string,
    private readonly nodeName: string,
    private readonly clock: SimClock,
    /** Receives the kubelet's log lines about manifests (for journalctl -u kubelet). */
    private readonly log: (line: string) => void = () => {},
    /** The node path of the directory, as the kubelet names it in logs. */
    private readonly nodeDir = "/etc/kubernetes/manifests",
  ) {}

  start(): void {
    this.rescan();
    try {
      this.watcher = fs.watch(this.hostDir, () => this.schedule());
      this.watcher.on("error", () => {});
    } catch {
      // The directory can be missing (a learner moved it); the periodic re-list still notices when it is back.
    }
    // The kubelet re-lists every 20 s; a short real-time poll keeps edits snappy regardless of the clock's scale.
    this.cancelPoll = this.clock.every(Math.min(20_000, 1000 * this.clock.timeScale), () => this.rescan());
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
    this.cancelPoll?.();
    if (this.debounce) clearTimeout(this.debounce);
  }

  private schedule(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.rescan(), 100);
    this.debounce.unref?.();
  }

  /**
   * Reads the directory now; notifies subscribers when the set of pods or their specs changed.
   * `list` forces a full re-list (sorted order decides duplicates); otherwise this is one only
   * when the kubelet's 20 s re-list is due, and a duplicate goes to the file that changed.
   */
  rescan(mode?: "list"): void {
    const nowMs = this.clock.now().getTime();
    const fullList = mode === "list" || nowMs - this.lastList >= LIST_PERIOD_MS;
    if (fullList) this.lastList = nowMs;
    const byKey = new Map<string, StaticPodFile>();
    const texts = new Map<string, string>();
    const next = new Map<string, StaticPodFile>();
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.hostDir).sort();
    } catch {
      names = [];
    }
    const now = this.clock.now();
    for (const base of names) {
      if (ignoredManifestName(base)) continue;
      const host = path.join(this.hostDir, base);
      let text: string;
      try {
        if (!fs.statSync(host).isFile()) continue;
        text = fs.readFileSync(host, "utf8");
      } catch {
        continue;
      }
      const file = `${this.nodeDir}/${base}`;
      const parsed = parseStaticPodFile(file, text, this.nodeName);
      if (!parsed.ok) {
        const q = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
        if (fullList) {
          // listConfig: the file is skipped, so the store is replaced without its pod; logged at every re-list.
          this.log(klog("E", now, "file.go:187", `"Could not process manifest file" err="${q(parsed.error)}" path="${file}"`));
          this.lastErrors.set(file, text);
          continue;
        }
        // consumeWatchEvent: the error is logged and the store is left as it was, so a pod the
        // file ran before keeps running until the next re-list drops it.
        if (this.lastErrors.get(file) !== text) {
          this.log(klog("E", now, "file.go:108", `"Unable to process watch event" err="${q(`can't process config file "${file}": ${parsed.error}`)}"`));
          this.lastErrors.set(file, text);
        }
        const held = [...this.pods.values()].find((p) => p.file === file);
        if (held && !byKey.has(`${held.namespace}/${held.podName}`)) byKey.set(`${held.namespace}/${held.podName}`, held);
        continue;
      }
      this.lastErrors.delete(file);
      texts.set(file, text);
      const key = `${parsed.value.namespace}/${parsed.value.podName}`;
      const held = byKey.get(key);
      if (held && !fullList) {
        // A watch event stores the file it was about (changed since the last scan); otherwise the
        // store keeps what it held; the later name breaks ties, as the events would arrive.
        const score = (f: StaticPodFile) => (this.lastText.get(f.file) !== texts.get(f.file) ? 2 : [...this.pods.values()].some((p) => p.file === f.file) ? 1 : 0);
        if (score(parsed.value) >= score(held)) byKey.set(key, parsed.value);
        continue;
      }
      byKey.set(key, parsed.value);
    }
    for (const f of byKey.values()) next.set(f.uid, f);
    this.lastText = texts;
    const changed = next.size !== this.pods.size || [...next.keys()].some((k) => !this.pods.has(k));
    if (!changed) return;
    // The kubelet model logs SyncLoop ADD/REMOVE itself when it applies the change.
    this.pods = next;
    for (const fn of this.subscribers) fn();
  }

  /** The parsed files behind the pods (for the component models). */
  files(): StaticPodFile[] {
    return [...this.pods.values()];
  }

  list(): Pod[] {
    return this.files().map((f) => {
      const pod = structuredClone(f.pod) as Pod;
      pod.metadata = { ...pod.metadata, namespace: f.namespace, uid: f.uid, name: pod.metadata.name };
      pod.metadata.annotations = {
        ...(pod.metadata.annotations ?? {}),
        "kubernetes.io/config.source": "file",
        "kubernetes.io/config.hash": f.uid.replace(/-/g, ""),
      };
      return pod;
    });
  }

  subscribe(onChange: () => void): () => void {
    this.subscribers.add(onChange);
    return () => this.subscribers.delete(onChange);
  }
}
