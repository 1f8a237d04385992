import fs from "node:fs";
import { nodeFs, type ControlPlaneEffects, type EtcdView, type NodeState, type RunRecord } from "./fleet-state";

/** Which data etcd was last said to serve, and the etcd run that decided it. */
export interface EtcdDataState {
  key: string;
  run: RunRecord | null;
}

/**
 * Which data the running etcd serves: its --data-dir inside the etcd-data hostPath is a node
 * directory whose data persists (host:<dir>); anywhere else it is the container's own
 * filesystem, new and empty with every container (container:<run>). A directory without
 * member/ is initialised empty, and etcd writes member/ there, so its data stays for next time.
 */
export function reconcileEtcdData(
  etcd: Pick<EtcdView, "outcome" | "run">,
  controlPlane: Pick<NodeState, "layout">,
  last: EtcdDataState,
  effects: Pick<ControlPlaneEffects, "setEtcdData">,
): void {
  if (!etcd.outcome || !etcd.run) return;
  const dir = etcd.outcome.dataDirNodePath;
  const key = dir ? `host:${dir}` : `container:${etcd.run.startedAt}:${etcd.run.ctx.container.name}`;
  // Decided once per etcd run: a restarted etcd on the same directory keeps its data, unless it
  // found no member/ there (then it initialised an empty one).
  if (etcd.run === last.run) return;
  last.run = etcd.run;
  const fresh = etcd.outcome.freshStore && (!dir || !nodeFs(controlPlane.layout).isDir(`${dir}/member`));
  if (key === last.key && !fresh) return;
  if (dir && fresh) {
    try {
      fs.mkdirSync(controlPlane.layout.host(`${dir}/member/snap`), { recursive: true, mode: 0o700 });
      fs.mkdirSync(controlPlane.layout.host(`${dir}/member/wal`), { recursive: true, mode: 0o700 });
    } catch {
      // An unwritable dir: etcd would fail; the model keeps serving from memory.
    }
  }
  last.key = key;
  effects.setEtcdData(fresh, key);
}
