import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "../../store/selectors";
import { badRequest, StatusError, type Status } from "../../store/status-error";
import type { KubeObject, StoreEvent } from "../../store/types";
import { resourceTable, wantsTable } from "./object-response";
import type { RequestScope } from "./request-scope";
import { asServed } from "./served-object";

const BOOKMARK_INTERVAL_MS = 60_000;

/**
 * A watch: one chunked 200 that carries a JSON event per line until the client goes away, the
 * timeout passes, or the store is reset. Resolves when the stream has ended.
 */
export function watchResources(scope: RequestScope): Promise<void> {
  const { deps, req, res, rt, key, namespace: ns, accept, query: q } = scope;
  const name = scope.target.name;
  const fieldSelector = parseFieldSelector(q.get("fieldSelector"));
  if (name) fieldSelector.push({ field: "metadata.name", op: "=", value: name });
  const labelSelector = parseLabelSelector(q.get("labelSelector"));
  const rvParam = q.get("resourceVersion");
  const table = wantsTable(accept);
  const bookmarks = q.get("allowWatchBookmarks") === "true";
  const timeoutSeconds = Number(q.get("timeoutSeconds") ?? 0) || 1800;
  let lastRv = deps.store.resourceVersion;
  let first = true;

  res.writeHead(200, {
    "Content-Type": "application/json",
    "Transfer-Encoding": "chunked",
    "Cache-Control": "no-cache, private",
  });
  res.flushHeaders();
  const write = (type: string, object: unknown) => {
    res.write(JSON.stringify({ type, object }) + "\n");
  };
  const emit = (type: string, obj: KubeObject) => {
    const served = asServed(rt, obj);
    if (table) {
      write(type, resourceTable(deps, rt, [served], served.metadata.resourceVersion ?? "", q, first));
      first = false;
    } else write(type, served);
  };

  return new Promise<void>((resolve) => {
    let stop: (() => void) | undefined;
    const timers: (() => void)[] = [];
    const finish = () => {
      stop?.();
      for (const t of timers) t();
      if (!res.writableEnded) res.end();
      resolve();
    };
    // Like the watch cache, a selector watch reports an object that starts matching as ADDED and
    // one that stops matching as DELETED, so it sees transitions rather than only matching states.
    const selective = labelSelector.length > 0 || fieldSelector.length > 0;
    const matches = (obj: KubeObject) =>
      (!labelSelector.length || matchesLabels(labelSelector, obj.metadata.labels)) && (!fieldSelector.length || matchesFields(fieldSelector, obj));
    const inSet = new Set<string>();
    const onEvent = (e: StoreEvent) => {
      lastRv = e.rv;
      if (!selective) return emit(e.type, e.object);
      const uid = e.object.metadata.uid ?? "";
      const now = e.type !== "DELETED" && matches(e.object);
      const was = inSet.has(uid);
      if (e.type === "DELETED") {
        if (was || matches(e.object)) emit("DELETED", e.object);
        inSet.delete(uid);
      } else if (now) {
        inSet.add(uid);
        emit(was ? e.type : "ADDED", e.object);
      } else if (was) {
        inSet.delete(uid);
        emit("DELETED", e.object);
      }
    };
    try {
      const current = deps.store.list(key, { namespace: ns, labelSelector, fieldSelector });
      for (const i of current.items) inSet.add(i.metadata.uid ?? "");
      if (!rvParam || rvParam === "0") {
        // "Get state and start at most recent": synthetic ADDED for what exists now.
        for (const i of current.items) emit("ADDED", i);
        lastRv = current.resourceVersion;
        stop = deps.store.watch(key, { namespace: ns, sinceRv: current.resourceVersion }, onEvent);
      } else {
        const since = Number(rvParam);
        if (!Number.isFinite(since)) throw badRequest(`invalid resource version "${rvParam}"`);
        stop = deps.store.watch(key, { namespace: ns, sinceRv: since }, onEvent);
      }
    } catch (e) {
      if (e instanceof StatusError) {
        // Errors after the 200 header travel as an ERROR event, as the real watch does.
        write("ERROR", e.status as Status);
      }
      finish();
      return;
    }
    const bookmark = () => {
      write("BOOKMARK", { kind: rt.kind, apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version, metadata: { resourceVersion: String(lastRv) } });
    };
    if (bookmarks) {
      const t = setInterval(bookmark, BOOKMARK_INTERVAL_MS);
      timers.push(() => clearInterval(t));
    }
    const timeout = setTimeout(finish, timeoutSeconds * 1000);
    timers.push(() => clearTimeout(timeout));
    req.on("close", finish);
    res.on("close", finish);
    // etcd switched data dirs: end the watch like a restarting apiserver drops it; the client's
    // resume from its old resourceVersion then gets 410 Expired and it re-lists.
    const unReset = deps.store.onReset(finish);
    timers.push(() => {
      unReset();
    });
  });
}
