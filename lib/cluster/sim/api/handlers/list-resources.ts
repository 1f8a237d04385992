import { parseFieldSelector, parseLabelSelector } from "../../store/selectors";
import { sendList } from "./object-response";
import type { RequestScope } from "./request-scope";
import { asServed } from "./served-object";

/** GET of a collection, filtered by the label and field selectors in the query. */
export function listResources(scope: RequestScope): void {
  const { deps, key, namespace, query, rt } = scope;
  const { items, resourceVersion } = deps.store.list(key, {
    namespace,
    labelSelector: parseLabelSelector(query.get("labelSelector")),
    fieldSelector: parseFieldSelector(query.get("fieldSelector")),
  });
  sendList(
    scope,
    items.map((i) => asServed(rt, i)),
    resourceVersion,
  );
}
