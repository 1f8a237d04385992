import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SimClock } from "@/lib/cluster/sim/clock";
import { kindNodeSpecs } from "./node-spec";
import { controlPlaneManifests } from "./static-pod-manifests";
import { ManifestStaticPodSource } from "./static-pod-source";

const [node] = kindNodeSpecs("lab", 0);
let dir: string;
let source: ManifestStaticPodSource;
let log: string[];
const manifests = controlPlaneManifests(node!, "lab");

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "manifests-"));
  for (const [p, text] of Object.entries(manifests)) fs.writeFileSync(path.join(dir, path.basename(p)), text);
  log = [];
  source = new ManifestStaticPodSource(dir, node!.name, new SimClock(), (l) => log.push(l));
});
afterEach(() => {
  source.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the kubelet's manifest source", () => {
  it("lists one pod per manifest, marked as file-sourced", () => {
    source.rescan();
    const pods = source.list();
    expect(pods.map((p) => p.metadata.name).sort()).toEqual(["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]);
    expect(pods[0]!.metadata.annotations?.["kubernetes.io/config.source"]).toBe("file");
    expect(source.files().map((f) => f.podName)).toContain("etcd-lab-control-plane");
  });

  it("ignores dot files; a stray etcd.yaml.bak with the same pod name is the same pod, and the re-list's last file wins", () => {
    const etcd = manifests["/etc/kubernetes/manifests/etcd.yaml"]!;
    source.rescan("list");
    const before = source.files().find((f) => f.component === "etcd")!;
    fs.writeFileSync(path.join(dir, ".etcd.yaml.swp"), etcd);
    fs.writeFileSync(path.join(dir, "etcd.yaml.bak"), etcd);
    source.rescan("list");
    const files = source.files().map((f) => path.basename(f.file)).sort();
    expect(files).toEqual(["etcd.yaml.bak", "kube-apiserver.yaml", "kube-controller-manager.yaml", "kube-scheduler.yaml"]);
    // Same content, other file: another UID, so the kubelet replaces the pod (etcd restarts once).
    expect(source.files().find((f) => f.component === "etcd")!.uid).not.toBe(before.uid);
    expect(log).toEqual([]);
  });

  it("an edit to etcd.yaml shadowed by etcd.yaml.bak wins only until the next re-list", () => {
    const etcd = manifests["/etc/kubernetes/manifests/etcd.yaml"]!;
    fs.writeFileSync(path.join(dir, "etcd.yaml.bak"), etcd);
    source.rescan("list");
    fs.writeFileSync(path.join(dir, "etcd.yaml"), etcd.replace("--data-dir=/var/lib/etcd", "--data-dir=/var/lib/etcd2"));
    source.rescan();
    const after = () => source.files().filter((f) => f.component === "etcd").map((f) => path.basename(f.file));
    expect(after()).toEqual(["etcd.yaml"]);
    source.rescan();
    expect(after()).toEqual(["etcd.yaml"]);
    source.rescan("list");
    expect(after()).toEqual(["etcd.yaml.bak"]);
  });

  it("runs a copy whose metadata.name differs as a second pod", () => {
    fs.writeFileSync(path.join(dir, "etcd.yaml.bak"), manifests["/etc/kubernetes/manifests/etcd.yaml"]!.replace(/^  name: etcd$/m, "  name: etcd-backup"));
    source.rescan("list");
    expect(source.list().map((p) => p.metadata.name).sort()).toEqual(["etcd", "etcd-backup", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]);
  });

  it("keeps the old pod on a watch event for a file that does not parse, and drops it at the next re-list, with the kubelet's errors", () => {
    source.rescan("list");
    let changes = 0;
    source.subscribe(() => changes++);
    fs.writeFileSync(path.join(dir, "etcd.yaml"), "");
    source.rescan();
    expect(changes).toBe(0);
    expect(source.list().map((p) => p.metadata.name)).toContain("etcd");
    expect(log.at(-1)).toContain(
      `file.go:108] "Unable to process watch event" err="can't process config file \\"/etc/kubernetes/manifests/etcd.yaml\\": /etc/kubernetes/manifests/etcd.yaml: couldn't parse as pod(Object 'Kind' is missing in 'null'), please check config file"`,
    );
    source.rescan();
    expect(log).toHaveLength(1);
    source.rescan("list");
    expect(changes).toBe(1);
    expect(source.list().map((p) => p.metadata.name)).not.toContain("etcd");
    expect(log.at(-1)).toContain(
      `file.go:187] "Could not process manifest file" err="/etc/kubernetes/manifests/etcd.yaml: couldn't parse as pod(Object 'Kind' is missing in 'null'), please check config file" path="/etc/kubernetes/manifests/etcd.yaml"`,
    );
    // Logged again at every re-list, as the kubelet does.
    source.rescan("list");
    expect(log.filter((l) => l.includes("Could not process manifest file"))).toHaveLength(2);
    fs.writeFileSync(path.join(dir, "etcd.yaml"), manifests["/etc/kubernetes/manifests/etcd.yaml"]!);
    source.rescan();
    expect(changes).toBe(2);
    expect(source.list().map((p) => p.metadata.name)).toContain("etcd");
  });

  it("words a mis-indented manifest as go-yaml does", () => {
    const apiserver = manifests["/etc/kubernetes/manifests/kube-apiserver.yaml"]!;
    const lines = apiserver.split("\n");
    const at = lines.findIndex((l) => /^    image: /.test(l));
    lines[at] = `  ${lines[at]}`;
    fs.writeFileSync(path.join(dir, "kube-apiserver.yaml"), lines.join("\n"));
    source.rescan("list");
    expect(source.list().map((p) => p.metadata.name)).not.toContain("kube-apiserver");
    expect(log.at(-1)).toContain(`couldn't parse as pod(yaml: line ${at + 1}: mapping values are not allowed in this context), please check config file`);
    fs.writeFileSync(path.join(dir, "kube-apiserver.yaml"), apiserver.replace("metadata:", "metadata;"));
    source.rescan("list");
    const meta = apiserver.split("\n").findIndex((l) => l === "metadata:");
    expect(log.at(-1)).toContain(`couldn't parse as pod(yaml: line ${meta + 2}: could not find expected ':'), please check config file`);
  });

  it("notices an edit through fs.watch without waiting for the periodic re-list", async () => {
    source.start();
    let changed = false;
    source.subscribe(() => (changed = true));
    const file = path.join(dir, "kube-scheduler.yaml");
    fs.writeFileSync(`${file}.tmp`, manifests["/etc/kubernetes/manifests/kube-scheduler.yaml"]!.replace("--leader-elect=true", "--leader-elect=false"));
    fs.renameSync(`${file}.tmp`, file);
    const end = Date.now() + 3000;
    while (!changed && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(changed).toBe(true);
  });
});
