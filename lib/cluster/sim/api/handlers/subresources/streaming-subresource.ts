import { badRequest } from "../../../store/status-error";
import type { RequestScope } from "../request-scope";

/**
 * exec, attach and portforward as plain requests. `kubectl exec` arrives as a connection upgrade
 * and is served by pod-exec.ts before the request reaches the REST layer; what gets here is a
 * client that did not upgrade, or attach/portforward, which the sim does not serve.
 */
export function streamingSubresource(scope: RequestScope): never {
  throw badRequest(`${scope.target.subresource} is not supported by the simulated cluster yet (use the node shell)`);
}
