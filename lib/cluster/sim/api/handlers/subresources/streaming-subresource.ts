import { badRequest } from "../../../store/status-error";
import type { RequestScope } from "../request-scope";

/**
 * exec, attach and portforward as plain requests. `kubectl exec` and `attach` arrive as a
 * connection upgrade and are served by pod-exec.ts before the request reaches the REST layer;
 * what gets here is a client that did not upgrade (the kubelet's answer: "Upgrade request
 * required"), or portforward, which the sim does not serve.
 */
export function streamingSubresource(scope: RequestScope): never {
  if (scope.target.subresource === "exec" || scope.target.subresource === "attach") throw badRequest("Upgrade request required");
  throw badRequest(`${scope.target.subresource} is not supported by the simulated cluster yet (use the node shell)`);
}
