import { sendObject } from "./object-response";
import type { RequestScope } from "./request-scope";
import { asServed } from "./served-object";

/** GET of one named object. */
export function getResource(scope: RequestScope): void {
  const obj = scope.deps.store.mustGet(scope.key, scope.namespace, scope.target.name!);
  sendObject(scope, 200, asServed(scope.rt, obj));
}
