import { badRequest, pathNotFound } from "../../../store/status-error";
import { asObject, type JsonObject } from "../json-object";
import type { RequestScope } from "../request-scope";
import { sendText } from "../responses";

/**
 * GET of `pods/<name>/log`: the container's log from the kubelets, once or followed (a chunked
 * stream that ends when the container stops running).
 */
export function logSubresource(scope: RequestScope): void {
  const { deps, req, res, key, query: q } = scope;
  if (key !== "pods") throw pathNotFound();
  const ns = scope.namespace!;
  const name = scope.target.name!;
  const pod = deps.store.mustGet("pods", ns, name);
  const containers = (asObject(pod.spec).containers as JsonObject[] | undefined) ?? [];
  let container = q.get("container") ?? undefined;
  if (!container) {
    if (containers.length === 1) container = String(containers[0]!.name);
    else {
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => String(c.name)).join(" ")}]`,
      );
    }
  } else if (![...containers, ...((asObject(pod.spec).initContainers as JsonObject[] | undefined) ?? [])].some((c) => c.name === container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  const source = deps.logs?.();
  if (!source) {
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
  }
  const num = (k: string) => (q.get(k) === null ? undefined : Number(q.get(k)));
  const lr = {
    namespace: ns,
    pod: name,
    container,
    previous: q.get("previous") === "true",
    tailLines: num("tailLines"),
    timestamps: q.get("timestamps") === "true",
    sinceSeconds: num("sinceSeconds"),
    limitBytes: num("limitBytes"),
  };
  // read() first: its errors (container waiting, no previous instance) are the real 400s.
  const text = source.read(lr);
  if (q.get("follow") !== "true") return sendText(res, 200, text);
  res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked", "Cache-Control": "no-cache, private" });
  const ac = new AbortController();
  const end = () => {
    ac.abort();
    if (!res.writableEnded) res.end();
  };
  req.on("close", end);
  res.on("close", end);
  // follow() sends the requested tail, then new lines while the container runs.
  source.follow(lr, (chunk) => {
    if (!res.writableEnded) res.write(chunk);
  }, ac.signal);
  // The stream ends when the container stops running, as the kubelet's does.
  const running = () => {
    const p = deps.store.get("pods", ns, name);
    const st = ((asObject(p?.status).containerStatuses as JsonObject[] | undefined) ?? []).find((c) => c.name === container);
    return Boolean(p && !lr.previous && asObject(st?.state).running);
  };
  if (!running()) return end();
  const timer = setInterval(() => {
    if (!running()) {
      clearInterval(timer);
      // Let the last lines of the container through before closing.
      setTimeout(end, 200);
    }
  }, 500);
  ac.signal.addEventListener("abort", () => clearInterval(timer));
}
