import { parseFieldSelector, parseLabelSelector } from "../../store/selectors";
import { StatusError } from "../../store/status-error";
import { sendList } from "./object-response";
import { isDryRun, type RequestScope } from "./request-scope";

/** DELETE of a collection: deletes what the selectors match and answers with the list of it. */
export function deleteCollection(scope: RequestScope): void {
  const { deps, key, namespace, query: q } = scope;
  const { items } = deps.store.list(key, {
    namespace,
    labelSelector: parseLabelSelector(q.get("labelSelector")),
    fieldSelector: parseFieldSelector(q.get("fieldSelector")),
  });
  const grace = q.get("gracePeriodSeconds");
  if (isDryRun(q)) return sendList(scope, items, deps.store.resourceVersion);
  for (const i of items) {
    try {
      deps.store.delete(key, i.metadata.namespace, i.metadata.name!, { gracePeriodSeconds: grace === null ? undefined : Number(grace) });
    } catch (e) {
      // Already gone (deleted between the list and here) is what the caller wanted.
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
  sendList(scope, items, deps.store.resourceVersion);
}
