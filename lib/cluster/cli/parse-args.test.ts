import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/errors";
import { parseClusterArgs } from "./parse-args";

describe("parseClusterArgs", () => {
  it("parses a command with flags in both forms", () => {
    expect(parseClusterArgs(["up", "--driver", "sim", "--name=demo"])).toEqual({ command: "up", driver: "sim", name: "demo", argv: [] });
  });
  it("keeps everything after -- as argv, untouched", () => {
    const a = parseClusterArgs(["exec", "--node", "demo-control-plane", "--", "sh", "-c", "echo $HOME; ls"]);
    expect(a.argv).toEqual(["sh", "-c", "echo $HOME; ls"]);
    expect(a.node).toBe("demo-control-plane");
  });
  it("rejects unknown commands, flags and bad names", () => {
    expect(() => parseClusterArgs(["boom"])).toThrow(InputError);
    expect(() => parseClusterArgs(["up", "--force"])).toThrow(/Unknown argument "--force"/);
    expect(() => parseClusterArgs(["up", "--name", "Bad_Name"])).toThrow(/--name/);
    expect(() => parseClusterArgs(["up", "--driver", "docker"])).toThrow(/--driver/);
  });
});
