import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/errors";
import { parseConfig } from "@/lib/config";
import { loadSshClusters, parseSshClusters } from "./ssh-clusters-file";

const FILE = "/etc/breakfix/ssh-clusters.yaml";

const good = `
clusters:
  - name: lab1
    nodes:
      - { name: cp1, host: 192.168.56.10, key: keys/lab, role: control-plane }
      - { name: w1, host: 192.168.56.11, port: 2222, user: ubuntu, key: ~/.ssh/lab, role: worker }
    kubeconfig: { from: control-plane }
`;

describe("parseSshClusters", () => {
  it("applies defaults: port 22, user root, sudo only for non-root users, admin.conf", () => {
    const [c] = parseSshClusters(good, FILE);
    expect(c!.name).toBe("lab1");
    expect(c!.connectTimeoutSeconds).toBe(10);
    expect(c!.nodes[0]).toMatchObject({ name: "cp1", port: 22, user: "root", sudo: false, key: "/etc/breakfix/keys/lab" });
    expect(c!.nodes[1]).toMatchObject({ port: 2222, user: "ubuntu", sudo: true, key: path.join(os.homedir(), ".ssh/lab") });
    expect(c!.kubeconfig).toEqual({ from: "control-plane", path: "/etc/kubernetes/admin.conf" });
  });

  it("resolves a kubeconfig file relative to the cluster file", () => {
    const [c] = parseSshClusters(good.replace("{ from: control-plane }", "{ from: file, path: lab1.kubeconfig }"), FILE);
    expect(c!.kubeconfig).toEqual({ from: "file", path: "/etc/breakfix/lab1.kubeconfig" });
  });

  it("reports a bad file as file → field: message", () => {
    const bad = (text: string) => () => parseSshClusters(text, FILE);
    expect(bad(good.replace("role: worker", "role: master"))).toThrow(InputError);
    expect(bad(good.replace("role: worker", "role: master"))).toThrow(/ssh-clusters.yaml → clusters\.0\.nodes\.1\.role: /);
    expect(bad(good.replace("name: lab1", "name: Lab_1"))).toThrow(/clusters\.0\.name: must be lower-case/);
    expect(bad(good.replace("role: control-plane", "role: worker"))).toThrow(/clusters\.0\.nodes: needs at least one node with role control-plane/);
    expect(bad(good.replace("name: w1", "name: cp1"))).toThrow(/duplicate node name "cp1"/);
    expect(bad(good.replace("{ from: control-plane }", "{ from: control-plane, server: http://x:6443 }"))).toThrow(/kubeconfig\.server: must be an https:\/\/ URL/);
    expect(bad(good.replace("host: 192.168.56.10", "host: root@192.168.56.10"))).toThrow(/nodes\.0\.host: .*without user@/);
    expect(bad("clusters: [")).toThrow(/not valid YAML/);
  });

  it("accepts a pinned host key and rejects one with a comment or a bad type", () => {
    const withKey = (k: string) => good.replace("role: control-plane }", `role: control-plane, hostKey: "${k}" }`);
    expect(parseSshClusters(withKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdXgFsgG7X6pI4o1cTY268xbXv6QwqMWtFrsxPcNRS4"), FILE)[0]!.nodes[0]!.hostKey).toMatch(/^ssh-ed25519 /);
    expect(() => parseSshClusters(withKey("ssh-ed25519 AAAAC3Nz root@cp1"), FILE)).toThrow(/hostKey/);
    expect(() => parseSshClusters(withKey("ssh-dss AAAAB3"), FILE)).toThrow(/hostKey/);
  });
});

describe("loadSshClusters", () => {
  it("treats a missing file as no clusters, and defaults to <data dir>/ssh-clusters.yaml", () => {
    expect(loadSshClusters(path.join(os.tmpdir(), "breakfix-no-such-file.yaml"))).toEqual([]);
    expect(parseConfig({}, "/srv/app").sshClustersFile).toBe("/srv/app/.data/ssh-clusters.yaml");
    expect(parseConfig({ BREAKFIX_SSH_CLUSTERS: "conf/labs.yaml" }, "/srv/app").sshClustersFile).toBe("/srv/app/conf/labs.yaml");
  });

  it("parses the example cluster file shown in the README", () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, "../../../README.md"), "utf8");
    const section = readme.split("## Using your own kubeadm cluster")[1];
    expect(section, "README has a section \"Using your own kubeadm cluster\"").toBeDefined();
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section!)?.[1];
    expect(yaml, "that section shows the cluster file in a yaml block").toBeDefined();
    const clusters = parseSshClusters(yaml!, "/home/trainer/breakfix/.data/ssh-clusters.yaml");
    expect(clusters.length).toBeGreaterThan(0);
  });
});
