import { describe, expect, it } from "vitest";
import { remoteCommand, sshExecArgs, sshPathValue, sshShellArgs, type SshTarget } from "./ssh-command";
import type { SshNodeConfig } from "./ssh-clusters-file";

const node: SshNodeConfig = { name: "cp1", host: "10.0.0.10", port: 2222, user: "ubuntu", key: "/keys/lab", role: "control-plane", sudo: true };
const target: SshTarget = { node, knownHosts: "/data/ssh/known_hosts", connectTimeoutSeconds: 7 };
/** The value passed as `-o KEY=…`. */
const opt = (args: string[], key: string) => args.find((a, i) => args[i - 1] === "-o" && a.startsWith(`${key}=`));

describe("ssh command lines", () => {
  it("never prompts, never learns a host key, and offers only the configured key", () => {
    const args = sshExecArgs(target, ["true"], 30_000);
    expect(args.slice(0, 2)).toEqual(["-F", "none"]);
    expect(opt(args, "BatchMode")).toBe("BatchMode=yes");
    expect(opt(args, "StrictHostKeyChecking")).toBe("StrictHostKeyChecking=yes");
    expect(opt(args, "UpdateHostKeys")).toBe("UpdateHostKeys=no");
    expect(opt(args, "UserKnownHostsFile")).toBe("UserKnownHostsFile=/data/ssh/known_hosts");
    expect(opt(args, "IdentitiesOnly")).toBe("IdentitiesOnly=yes");
    expect(opt(args, "ConnectTimeout")).toBe("ConnectTimeout=7");
    expect(args.slice(args.indexOf("-p"), args.indexOf("-p") + 4)).toEqual(["-p", "2222", "-l", "ubuntu"]);
    expect(args.slice(-4)).toEqual(["-T", "--", "10.0.0.10", "'sudo' '-n' '--' 'timeout' '-k' '5' '31' 'true'"]);
  });

  it("goes through sudo -n only for nodes that need it", () => {
    expect(remoteCommand(node, ["cat", "/etc/kubernetes/admin.conf"])).toBe(`'sudo' '-n' '--' 'cat' '/etc/kubernetes/admin.conf'`);
    expect(remoteCommand({ ...node, sudo: false }, ["id", "-u"])).toBe(`'id' '-u'`);
  });

  it("asks for a tty and a login shell for interactive shells", () => {
    expect(sshShellArgs(target).slice(-4)).toEqual(["-t", "--", "10.0.0.10", "'sudo' '-n' '--' 'bash' '-l'"]);
  });

  it("escapes paths for ssh options: % doubled, whitespace quoted, double quotes refused", () => {
    expect(sshPathValue("/data/ssh/known_hosts")).toBe("/data/ssh/known_hosts");
    expect(sshPathValue("/srv/100%/k")).toBe("/srv/100%%/k");
    expect(sshPathValue("/home/me/lab keys/k")).toBe(`"/home/me/lab keys/k"`);
    expect(() => sshPathValue(`/a"b`)).toThrow(/double quote/);
  });
});
