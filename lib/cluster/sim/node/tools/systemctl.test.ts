import { describe, expect, it } from "vitest";
import { SimClock } from "@/lib/cluster/sim/clock";
import type { SimKubelet } from "@/lib/cluster/sim/kubelet/kubelet-seams";
import { NodeLayout } from "../node-layout";
import { NodeServices } from "./node-services";
import type { NodeToolHost } from "./node-tool-host";
import { systemctl } from "./systemctl";

const FATAL = 'E1202 18:00:00.000000     300 run.go:72] "command failed" err="failed to load kubelet config file"';

function host(fails: boolean): { h: NodeToolHost; actions: string[] } {
  const clock = new SimClock();
  const actions: string[] = [];
  const services = new NodeServices(clock, { onKubelet: (a) => void actions.push(a), onContainerd: () => {}, exitsOnStart: () => (fails ? FATAL : null) });
  const h: NodeToolHost = {
    node: { name: "kind-worker", role: "worker", ip: "172.18.0.3", podCidr: "10.244.1.0/24" },
    layout: new NodeLayout("/nonexistent"),
    clock,
    kubelet: { journal: () => [] } as unknown as SimKubelet,
    services,
    listeners: () => [],
    extraJournal: () => [],
    etcd: () => null,
    apiReachable: () => true,
  };
  return { h, actions };
}

async function run(h: NodeToolHost, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await systemctl(h, { tool: "systemctl", argv, env: {}, cwd: "/" }, { out: (s) => (out += s), err: (s) => (err += s), signal: new AbortController().signal });
  return { code, out, err };
}

describe("systemctl", () => {
  it("shows a kubelet that exits as it starts as activating (auto-restart) with its exit status", async () => {
    const { h } = host(true);
    await run(h, ["restart", "kubelet"]);
    const st = await run(h, ["status", "kubelet"]);
    expect(st.code).toBe(3);
    expect(st.out).toMatch(/^● kubelet\.service - kubelet: The Kubernetes Node Agent\n/);
    expect(st.out).toMatch(/\n {5}Active: activating \(auto-restart\) \(Result: exit-code\) since \w{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; \d+s ago\n/);
    expect(st.out).toMatch(
      /\n {4}Process: (\d+) ExecStart=\/usr\/bin\/kubelet \$KUBELET_KUBECONFIG_ARGS \$KUBELET_CONFIG_ARGS \$KUBELET_KUBEADM_ARGS \$KUBELET_EXTRA_ARGS \(code=exited, status=1\/FAILURE\)\n {3}Main PID: \1 \(code=exited, status=1\/FAILURE\)\n/,
    );
    expect(st.out).toContain(`kubelet[${h.services.units.kubelet.pid}]: ${FATAL}`);
    expect(st.out).toContain("systemd[1]: kubelet.service: Failed with result 'exit-code'.");
    const active = await run(h, ["is-active", "kubelet"]);
    expect([active.code, active.out]).toEqual([3, "activating\n"]);
    await run(h, ["stop", "kubelet"]);
  });

  it("enable --now starts a disabled, stopped kubelet; disable --now stops it", async () => {
    const { h, actions } = host(false);
    await run(h, ["disable", "--now", "kubelet"]);
    expect([(await run(h, ["is-active", "kubelet"])).out, (await run(h, ["is-enabled", "kubelet"])).out]).toEqual(["inactive\n", "disabled\n"]);
    const en = await run(h, ["enable", "--now", "kubelet"]);
    expect(en.err).toBe("Created symlink /etc/systemd/system/multi-user.target.wants/kubelet.service → /etc/systemd/system/kubelet.service.\n");
    expect([(await run(h, ["is-active", "kubelet"])).out, (await run(h, ["is-enabled", "kubelet"])).out]).toEqual(["active\n", "enabled\n"]);
    expect(actions).toEqual(["stop", "start"]);
  });
});
