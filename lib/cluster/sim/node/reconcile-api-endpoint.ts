import type { ApiEndpointState, ControlPlaneEffects } from "./fleet-state";

/** The API endpoint follows the kube-apiserver container: a change of state is passed on once. */
export function reconcileApiEndpoint(endpoint: ApiEndpointState, last: { api: ApiEndpointState | null }, effects: Pick<ControlPlaneEffects, "setApiEndpoint">): void {
  if (endpoint === last.api) return;
  last.api = endpoint;
  effects.setApiEndpoint(endpoint);
}
