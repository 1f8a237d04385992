import { describe, expect, it } from "vitest";
import { IMAGE_CATALOGUE } from "../catalogue/images";
import { planContainer } from "./plan-container";

const image = (repo: string) => IMAGE_CATALOGUE.find((i) => i.repository === repo)!;
const busybox = image("docker.io/library/busybox");

describe("container behaviour", () => {
  const plan = (command?: string[], args?: string[], env: Record<string, string> = {}, img = busybox, memoryLimitBytes?: number) =>
    planContainer({ image: img, command, args, env, files: { "/etc/cfg/a": "x=1\n" }, podName: "p", memoryLimitBytes });

  it("interprets simple shell scripts: output, exit codes, loops, files", () => {
    const p = plan(["sh", "-c", "echo starting; exit 1"]);
    expect(p.steps.map((s) => s.log)).toEqual(["starting"]);
    expect(p.exit?.code).toBe(1);
    const loop = plan(["sh", "-c", 'while true; do echo "tick $HOSTNAME"; sleep 5; done']);
    expect(loop.loop).toMatchObject({ period: 5000, steps: [{ log: "tick p" }] });
    expect(loop.exit).toBeUndefined();
    expect(plan(["sh", "-c", "cat /etc/cfg/a"]).steps.map((s) => s.log)).toEqual(["x=1"]);
    const missing = plan(["sh", "-c", "cat /nope && echo never"]);
    expect(missing.steps.map((s) => s.log)).toEqual(["cat: can't open '/nope': No such file or directory"]);
    expect(missing.exit?.code).toBe(1);
    expect(plan(["sh", "-c", "frobnicate"]).steps.map((s) => s.log)).toEqual(["sh: frobnicate: not found"]);
    expect(plan(["sh", "-c", "frobnicate"]).exit?.code).toBe(127);
    expect(plan(["sleep", "infinity"]).exit).toBeUndefined();
    expect(plan(undefined, undefined).exit).toEqual({ at: 30, code: 0 });
  });

  it("prints each variable printenv is given, failing if one is unset", () => {
    const both = plan(["printenv", "LOG_LEVEL", "DB_HOST"], undefined, { LOG_LEVEL: "info", DB_HOST: "db" });
    expect(both.steps.map((s) => s.log)).toEqual(["info", "db"]);
    expect(both.exit?.code).toBe(0);
    const one = plan(["sh", "-c", "printenv NOPE LOG_LEVEL"], undefined, { LOG_LEVEL: "info" });
    expect(one.steps.map((s) => s.log)).toEqual(["info"]);
    expect(one.exit?.code).toBe(1);
  });

  it("runs images' own processes, with their env requirements and memory", () => {
    const pg = image("docker.io/library/postgres");
    expect(plan(undefined, undefined, {}, pg).exit?.code).toBe(1);
    expect(plan(undefined, undefined, { POSTGRES_PASSWORD: "x" }, pg).listens).toEqual([5432]);
    const nginx = image("docker.io/library/nginx");
    expect(plan(undefined, undefined, {}, nginx, 4 * 2 ** 20).exit).toMatchObject({ code: 137, reason: "OOMKilled" });
    expect(plan(["nginx", "-g", "daemon off;"], undefined, {}, nginx).listens).toEqual([80]);
    expect(plan(["bash"], undefined, {}, busybox).startError).toContain('exec: "bash": executable file not found in $PATH');
    const stress = image("docker.io/polinux/stress");
    expect(plan(["stress"], ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"], {}, stress, 100 * 2 ** 20).exit?.reason).toBe("OOMKilled");
  });
});
