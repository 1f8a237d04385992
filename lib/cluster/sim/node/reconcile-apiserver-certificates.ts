import { X509Certificate } from "node:crypto";
import { hostPathOf, type NodeFs } from "./components/component-context";
import type { ApiserverView, ControlPlaneEffects } from "./fleet-state";

/** What the API server last loaded: the serving pair (cert + key) and the client CA. */
export interface LoadedCertificates {
  cert: string;
  ca: string;
}

/**
 * The running kube-apiserver's --tls-cert-file/--tls-private-key-file and --client-ca-file, read
 * through its mounts, are loaded when they change (dynamic_serving_content); a pair that does not
 * parse is skipped and the last good one stays.
 */
export function reconcileApiserverCertificates(
  api: Pick<ApiserverView, "run" | "outcome" | "clientCaPem">,
  read: NodeFs["read"],
  last: LoadedCertificates,
  effects: Pick<ControlPlaneEffects, "setServingCert" | "setClientCa">,
): void {
  const { run, outcome } = api;
  if (!run || !outcome) return;
  const map = (p: string | null) => (p ? hostPathOf(p, run.ctx.container.volumeMounts, run.ctx.volumes) : null);
  const cert = map(outcome.tlsCertFile) ? read(map(outcome.tlsCertFile)!) : null;
  const key = map(outcome.tlsKeyFile) ? read(map(outcome.tlsKeyFile)!) : null;
  if (cert && key && cert + key !== last.cert) {
    try {
      new X509Certificate(cert);
      effects.setServingCert(cert, key);
      last.cert = cert + key;
    } catch {
      // dynamic_serving_content keeps the last good pair when the files do not load.
    }
  }
  if (api.clientCaPem && api.clientCaPem !== last.ca) {
    effects.setClientCa(api.clientCaPem);
    last.ca = api.clientCaPem;
  }
}
