import type { RowDraft } from "./timeline-row";

/**
 * Turns a node's kubelet and containerd journal lines into timeline rows. The kubelet logs in
 * klog's text format (`I1203 05:40:00.123456     245 kubelet.go:2430] "SyncLoop ADD" source="api"
 * pods=["default/web"]`); containerd in logrus's (`time="…" level=info msg="RunPodSandbox for
 * &PodSandboxMetadata{Name:web,…}"`). journalctl prefixes both with `Dec 03 05:40:00 node unit[pid]: `.
 *
 * containerd names a pod only when it creates the sandbox and its containers; later lines name
 * sandbox and container ids. The parser remembers which id is whose, so those lines are matched
 * to their pod too, which is why it is a class: one per node, fed its lines in order.
 */
export class NodeLogParser {
  private readonly owners = new Map<string, string>();

  constructor(private readonly node: string) {}

  /** Rows for one journal line (none for lines the timeline does not explain). `now` dates klog's year-less times. */
  parse(line: string, now: Date): RowDraft | undefined {
    const body = line.replace(/^[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \S+?(?:\[\d+\])?: /, "");
    if (body.startsWith("time=")) return this.containerd(body);
    const m = /^([IWEF])(\d\d)(\d\d) (\d\d:\d\d:\d\d\.\d+)\s+\d+ ([^\]]+)\] (.*)$/.exec(body);
    if (!m) return undefined;
    return this.kubelet(m[1]!, klogDate(m[2]!, m[3]!, m[4]!, now), m[6]!);
  }

  private kubelet(level: string, at: string, text: string): RowDraft | undefined {
    const msg = /^"((?:[^"\\]|\\.)*)"/.exec(text)?.[1] ?? text;
    const pods = [...(/pods=\[([^\]]*)\]/.exec(text)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
    const pod = /(?:^|\s)pod="([^"]+)"/.exec(text)?.[1];
    if (pod) pods.push(pod);
    const refs = pods.map(splitRef);
    const base = { at, actor: `kubelet/${this.node}`, source: "kubelet-log" as const, detail: text, namespace: refs[0]?.namespace, pods: refs.length ? refs.map((r) => r.name) : undefined, object: refs[0] ? `pod/${refs[0].name}` : `node/${this.node}` };
    const sync = /^SyncLoop (ADD|UPDATE|DELETE|REMOVE|RECONCILE)$/.exec(msg);
    if (sync) {
      const source = /source="([^"]+)"/.exec(text)?.[1] ?? "api";
      return { ...base, action: `SyncLoop ${sync[1]} (${source}): ${SYNC_MEANING[sync[1]!]}` };
    }
    if (msg === "SyncLoop (PLEG): event for pod") {
      const type = /"Type":"([^"]+)"/.exec(text)?.[1] ?? "event";
      const id = /"Data":"([^"]+)"/.exec(text)?.[1] ?? "";
      return { ...base, action: `PLEG ${type}${id ? ` ${id.slice(0, 13)}` : ""}: the runtime reports the change on its next relist` };
    }
    if (msg === "Killing container with a grace period") {
      const grace = /gracePeriod=(\d+)/.exec(text)?.[1];
      const c = /containerName="([^"]+)"/.exec(text)?.[1];
      return { ...base, action: `killing container ${c ?? ""} with a ${grace ?? "?"}s grace period (SIGTERM now, SIGKILL when it runs out)` };
    }
    if (msg.startsWith("No sandbox for pod can be found")) return { ...base, action: "no sandbox yet: asks the runtime for one (RunPodSandbox)" };
    if (msg === "Error syncing pod, skipping") {
      const err = /err="((?:[^"\\]|\\.)*)"/.exec(text)?.[1]?.replace(/\\"/g, '"');
      return { ...base, action: `⚠ error syncing pod${err ? `: ${err.slice(0, 160)}` : ""}` };
    }
    if (pods.length || level === "E" || level === "W") return { ...base, action: `${level === "I" ? "" : "⚠ "}${msg.replace(/\\"/g, '"')}` };
    return undefined;
  }

  private containerd(body: string): RowDraft | undefined {
    const at = /^time="([^"]+)"/.exec(body)?.[1];
    const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(body)?.[1]?.replace(/\\"/g, '"');
    if (!at || !msg) return undefined;
    const base = { at: new Date(at).toISOString(), actor: `containerd/${this.node}`, source: "containerd-log" as const, detail: msg, object: `node/${this.node}` };
    const withPod = (ref: string | undefined) => {
      if (!ref) return base;
      const r = splitRef(ref);
      return { ...base, namespace: r.namespace, pods: [r.name], object: `pod/${r.name}` };
    };
    const meta = /PodSandboxMetadata\{Name:([^,]+),Uid:[^,]*,Namespace:([^,]+),/.exec(msg);
    if (meta) {
      const ref = `${meta[2]}/${meta[1]}`;
      const id = /returns sandbox id "([0-9a-f]+)"/.exec(msg)?.[1];
      if (id) {
        this.owners.set(id, ref);
        return { ...withPod(ref), action: `RunPodSandbox done: sandbox ${id.slice(0, 13)} up, network set up by CNI` };
      }
      if (msg.startsWith("RunPodSandbox")) return { ...withPod(ref), action: "RunPodSandbox: creating the pause container and the pod network (CNI ADD)" };
      return { ...withPod(ref), action: msg };
    }
    const ids = [...msg.matchAll(/"([0-9a-f]{32,64})"/g)].map((x) => x[1]!);
    const owner = ids.map((i) => this.owners.get(i)).find(Boolean);
    const created = /returns container id "([0-9a-f]+)"/.exec(msg)?.[1];
    if (created && owner) this.owners.set(created, owner);
    const c = /ContainerMetadata\{Name:([^,]+),/.exec(msg)?.[1];
    const short = ids[ids.length - 1]?.slice(0, 13) ?? "";
    let action: string;
    if (/level=(error|warning)/.test(body)) {
      const err = /\serror="((?:[^"\\]|\\.)*)"/.exec(body)?.[1]?.replace(/\\"/g, '"');
      return { ...withPod(owner), action: `⚠ ${msg}`, detail: err ?? msg };
    }
    if (msg.startsWith("PullImage ")) action = `pulling image ${/PullImage "([^"]+)"/.exec(msg)?.[1] ?? ""}`;
    else if (msg.startsWith("Pulled image")) action = `pulled image ${/Pulled image "([^"]+)"/.exec(msg)?.[1] ?? ""}`;
    else if (msg.startsWith("CreateContainer") && created) action = `container ${c ?? ""} created: ${created.slice(0, 13)}`;
    else if (msg.startsWith("CreateContainer")) action = `creating container ${c ?? ""}`;
    else if (/^StartContainer for .* returns successfully/.test(msg)) action = `container ${short} started`;
    else if (msg.startsWith("StartContainer")) action = `starting container ${short}`;
    else if (/^StopContainer for .* with timeout/.test(msg)) action = `stopping container ${short} (timeout ${/timeout (\d+)/.exec(msg)?.[1] ?? "?"}s)`;
    else if (/^Stop container .* with signal/.test(msg)) action = `SIGTERM → container ${short} (signal ${/with signal (\S+)/.exec(msg)?.[1] ?? "terminated"})`;
    else if (/^Kill container/.test(msg)) action = `SIGKILL → container ${short}: it outlived its grace period`;
    else if (/^StopContainer for .* returns successfully/.test(msg)) action = `container ${short} stopped`;
    else if (/^StopPodSandbox for .* returns successfully/.test(msg)) action = `sandbox ${short} stopped`;
    else if (msg.startsWith("StopPodSandbox")) action = `stopping sandbox ${short}`;
    else if (msg.startsWith("TearDown network")) action = `pod network torn down (CNI DEL) for sandbox ${short}`;
    else if (/^Remove(PodSandbox|Container)/.test(msg)) action = msg.replace(/"([0-9a-f]{13})[0-9a-f]+"/g, "$1");
    else return owner ? { ...withPod(owner), action: msg } : undefined;
    return { ...withPod(owner), action };
  }
}

const SYNC_MEANING: Record<string, string> = {
  ADD: "the pod is bound to this node; the kubelet starts its pod worker",
  UPDATE: "the pod changed in the API",
  DELETE: "deletion requested; the kubelet stops the containers within the grace period",
  REMOVE: "the pod is gone from the API; the kubelet forgets it",
  RECONCILE: "status reconciled",
};

function splitRef(ref: string): { namespace?: string; name: string } {
  const i = ref.indexOf("/");
  return i < 0 ? { name: ref } : { namespace: ref.slice(0, i), name: ref.slice(i + 1) };
}

/** klog's MMDD hh:mm:ss.uuuuuu has no year: the latest year that does not put it in the future of `now` (by over a day). */
function klogDate(mm: string, dd: string, hms: string, now: Date): string {
  const [h, mi, s] = hms.split(":");
  const [sec, frac = "0"] = (s ?? "0").split(".");
  const ms = Number(frac.slice(0, 3).padEnd(3, "0"));
  let year = now.getUTCFullYear();
  let d = Date.UTC(year, Number(mm) - 1, Number(dd), Number(h), Number(mi), Number(sec), ms);
  if (d > now.getTime() + 86_400_000) d = Date.UTC(--year, Number(mm) - 1, Number(dd), Number(h), Number(mi), Number(sec), ms);
  return new Date(d).toISOString();
}
