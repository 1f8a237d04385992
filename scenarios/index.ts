import type { RegistryEntry } from "@/lib/scenarios/load-scenarios";
import apiserverDown from "./apiserver-down/scenario";
import cniMissing from "./cni-missing/scenario";
import controllerManagerDown from "./controller-manager-down/scenario";
import crashloopApp from "./crashloop-app/scenario";
import containerConfigError from "./container-config-error/scenario";
import etcdCrashloop from "./etcd-crashloop/scenario";
import expiredCerts from "./expired-certs/scenario";
import helloPod from "./hello-pod/scenario";
import imagePullBackoff from "./image-pull-backoff/scenario";
import nodeNotready from "./node-notready/scenario";
import staleKubeconfigs from "./stale-kubeconfigs/scenario";
import schedulerDown from "./scheduler-down/scenario";
import pendingNoNode from "./pending-no-node/scenario";
import pvcPending from "./pvc-pending/scenario";
import serviceUnreachable from "./service-unreachable/scenario";
import netpolBlocked from "./netpol-blocked/scenario";
import dnsFailure from "./dns-failure/scenario";
import nodeportUnreachable from "./nodeport-unreachable/scenario";
import incidentDnsAndService from "./incident-dns-and-service/scenario";
import forbiddenServiceaccount from "./forbidden-serviceaccount/scenario";

/**
 * The registry: every pack, listed explicitly. Add a pack by importing its scenario.ts here.
 */
export const registry: RegistryEntry[] = [
  { slug: "hello-pod", pack: helloPod },
  { slug: "etcd-crashloop", pack: etcdCrashloop },
  { slug: "expired-certs", pack: expiredCerts },
  { slug: "cni-missing", pack: cniMissing },
  { slug: "image-pull-backoff", pack: imagePullBackoff },
  { slug: "node-notready", pack: nodeNotready },
  { slug: "apiserver-down", pack: apiserverDown },
  { slug: "stale-kubeconfigs", pack: staleKubeconfigs },
  { slug: "scheduler-down", pack: schedulerDown },
  { slug: "controller-manager-down", pack: controllerManagerDown },
  { slug: "crashloop-app", pack: crashloopApp },
  { slug: "container-config-error", pack: containerConfigError },
  { slug: "pending-no-node", pack: pendingNoNode },
  { slug: "pvc-pending", pack: pvcPending },
  { slug: "service-unreachable", pack: serviceUnreachable },
  { slug: "netpol-blocked", pack: netpolBlocked },
  { slug: "dns-failure", pack: dnsFailure },
  { slug: "nodeport-unreachable", pack: nodeportUnreachable },
  { slug: "incident-dns-and-service", pack: incidentDnsAndService },
  { slug: "forbidden-serviceaccount", pack: forbiddenServiceaccount },
];
