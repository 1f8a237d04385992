import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UnavailableError } from "@/lib/errors";
import { bwrapArgs, findBwrap, nodeEnv } from "./node-sandbox";

// bwrapArgs makes mountpoints inside the node's etc, so the node root must be a real scratch dir.
const base = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-args-"));
const paths = { root: path.join(base, "nodes/lab-control-plane"), toolsDir: path.join(base, "node-tools/bin"), clientJs: path.join(base, "node-tools/node-tool.cjs"), agentSocket: path.join(base, "node-agent.sock"), apiBridgeSocket: path.join(base, "api-bridge.sock"), forwarderJs: path.join(base, "node-tools/api-forwarder.cjs") };
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe("node sandbox", () => {
  it("says how to install bubblewrap when it is missing", () => {
    let err: unknown;
    try {
      findBwrap(["/nonexistent/bwrap"], false);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).hint).toContain("apt-get install bubblewrap");
  });

  it("sets KUBECONFIG on the control plane only, as kind does, and a root@<node> prompt for shells", () => {
    expect(nodeEnv({ name: "lab-control-plane", role: "control-plane" }, true)).toMatchObject({ KUBECONFIG: "/etc/kubernetes/admin.conf", PS1: "root@lab-control-plane:\\w# ", HOME: "/root" });
    expect(nodeEnv({ name: "lab-worker", role: "worker" }, false).KUBECONFIG).toBeUndefined();
  });

  it("binds the node's trees at the real paths, the host's /usr read-only and the tools ahead on PATH", () => {
    const a = bwrapArgs({ name: "lab-control-plane", role: "control-plane" }, paths, { interactive: false }).join(" ");
    expect(a).toContain("--ro-bind /usr /usr");
    expect(a).toContain(`--bind ${paths.root}/etc /etc`);
    expect(a).toContain(`--bind ${paths.root}/var /var`);
    expect(a).toContain(`--ro-bind ${paths.toolsDir} /usr/local/sbin`);
    expect(a).toContain(`--bind ${paths.agentSocket} /run/breakfix/agent.sock`);
    expect(a).toContain("--unshare-uts --hostname lab-control-plane");
    expect(a).toContain("--new-session");
    expect(bwrapArgs({ name: "w", role: "worker" }, paths, { interactive: true })).not.toContain("--new-session");
  });

  it("gives an isolated sandbox its own network namespace with the API bridge and forwarder bound in; the host network binds neither", () => {
    const isolated = bwrapArgs({ name: "w", role: "worker" }, paths, { interactive: true, network: "isolated" }).join(" ");
    expect(isolated).toContain("--unshare-net");
    expect(isolated).toContain(`--bind ${paths.apiBridgeSocket} /run/breakfix/api-bridge.sock`);
    expect(isolated).toContain(`--ro-bind ${paths.forwarderJs} /run/breakfix/api-forwarder.cjs`);
    const host = bwrapArgs({ name: "w", role: "worker" }, paths, { interactive: false, network: "host" });
    expect(host).not.toContain("--unshare-net");
    expect(host.join(" ")).not.toContain("api-bridge.sock");
  });
});
