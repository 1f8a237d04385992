import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commandExists, layoutContainerFs, readModelFiles, writeModelFiles, type ContainerFs } from "./pod-rootfs";
import { hostBusybox, podSandboxAvailable, startPodSandbox, type PodSandboxLimits } from "./pod-sandbox";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pod-sandbox-test-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function containerFs(name: string): ContainerFs {
  return layoutContainerFs({
    podDir: path.join(dir, name),
    container: "main/0",
    busybox: hostBusybox(),
    omitApplets: ["wget"],
    etc: { hosts: "127.0.0.1\tlocalhost\n", resolvConf: "nameserver 10.96.0.10\n", hostname: "box\n" },
    volumes: { cfg: { kind: "files", files: { "app.conf": "a=1\n" } }, data: { kind: "dir", dir: path.join(dir, name, "empty") } },
    mounts: [
      { name: "cfg", mountPath: "/etc/app" },
      { name: "data", mountPath: "/data" },
    ],
  });
}

async function run(cfs: ContainerFs, script: string, limits?: PodSandboxLimits, stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const p = startPodSandbox({ fs: cfs, busybox: hostBusybox(), hostname: "box", env: { PATH: "/bin" }, argv: ["sh", "-c", script], tty: false, limits }, { stdout: (d) => (out += d.toString()), stderr: (d) => (err += d.toString()) });
  if (stdin !== undefined) p.write(Buffer.from(stdin));
  p.endStdin();
  return { code: await p.done, out, err };
}

const small: PodSandboxLimits = { wallMs: 1500, outputBytes: 1 << 16, fileBytes: 1 << 20, memoryBytes: 1 << 30, cpuSeconds: 5 };

describe.skipIf(podSandboxAvailable() === null)("a pod container's sandbox (needs bwrap and a static busybox)", () => {
  it("kills a command that floods its output, and one that outlives the wall clock, with 137", async () => {
    const cfs = containerFs("limits");
    const flood = await run(cfs, "yes", small);
    expect(flood.code).toBe(137);
    expect(flood.out.length).toBeLessThanOrEqual(small.outputBytes);
    const t0 = Date.now();
    expect((await run(cfs, "sleep 30", small)).code).toBe(137);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("refuses a file larger than the file-size limit", async () => {
    const r = await run(containerFs("fsize"), "dd if=/dev/zero of=/tmp/big bs=1024 count=4096 2>/dev/null; echo $?", small);
    expect(r.out.trim()).not.toBe("0");
    expect(fs.statSync(path.join(dir, "fsize", "containers", "main", "0", "rootfs", "tmp", "big")).size).toBeLessThanOrEqual(small.fileBytes);
  });

  it("has no network but loopback", async () => {
    const r = await run(containerFs("net"), "ls /sys/class/net 2>/dev/null || ip -o link | cut -d: -f2");
    expect(r.out.trim()).toBe("lo");
  });

  // No /bin/wget link for an image without wget (busybox ash would still run its applet: docs/sim-fidelity.md).
  it("projects ConfigMap files read-only, writes volumes, and omits applets the image lacks", async () => {
    const cfs = containerFs("vols");
    const r = await run(cfs, "cat /etc/app/app.conf; readlink /etc/app/app.conf; echo x > /etc/app/new 2>/dev/null || echo ro; echo d > /data/f; cat /etc/hostname; ls /bin/wget 2>/dev/null || echo no-wget");
    expect(r.out).toBe("a=1\n..data/app.conf\nro\nbox\nno-wget\n");
    expect(fs.readFileSync(path.join(dir, "vols", "empty", "f"), "utf8")).toBe("d\n");
    expect(commandExists(cfs, "sh", "/usr/bin:/bin", hostBusybox())).toBe(true);
    expect(commandExists(cfs, "wget", "/usr/bin:/bin", hostBusybox())).toBe(false);
    expect(commandExists(cfs, "/bin/nope", "/bin", hostBusybox())).toBe(false);
  });

  it("syncs the kubelet model's files to disk and back", async () => {
    const cfs = containerFs("sync");
    const synced = new Set<string>();
    writeModelFiles(cfs, { "/usr/share/html/index.html": "hi\n", "/tmp/gone": "" }, synced);
    const r = await run(cfs, "cat /usr/share/html/index.html; rm /tmp/gone; touch /tmp/ready; echo v > /data/v");
    expect(r.out).toBe("hi\n");
    const back = readModelFiles(cfs, synced);
    expect(back).toMatchObject({ "/usr/share/html/index.html": "hi\n", "/tmp/ready": "", "/data/v": "v\n" });
    expect(back["/tmp/gone"]).toBeUndefined();
    expect(Object.keys(back).some((p) => p.startsWith("/etc/app") || p.startsWith("/bin") || p.startsWith("/proc"))).toBe(false);
    // The model dropping a file removes it from disk at the next sync.
    writeModelFiles(cfs, { "/usr/share/html/index.html": "hi\n" }, synced);
    expect(fs.existsSync(path.join(cfs.root, "tmp", "ready"))).toBe(false);
  });

  it("reads stdin", async () => {
    expect((await run(containerFs("stdin"), "wc -c", undefined, "12345")).out.trim()).toBe("5");
  });
});
