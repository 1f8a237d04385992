import { describe, expect, it } from "vitest";
import { TimeoutError } from "@/lib/errors";
import { runCommand } from "./run-command";

describe("runCommand", () => {
  it("passes argv without a shell and feeds stdin", async () => {
    const r = await runCommand("sh", ["-c", 'printf "%s|" "$1"; cat', "sh", "$(echo no) ; *"], { stdin: "in", timeoutMs: 5000 });
    expect(r).toEqual({ code: 0, stdout: "$(echo no) ; *|in", stderr: "", notFound: false });
  });
  it("reports a missing program as notFound instead of throwing", async () => {
    expect(await runCommand("breakfix-no-such-tool", [], { timeoutMs: 5000 })).toMatchObject({ code: 127, notFound: true });
  });
  it("kills a program that outlives its timeout and says what it waited for", async () => {
    const t0 = Date.now();
    await expect(runCommand("sleep", ["30"], { timeoutMs: 200 })).rejects.toThrow(TimeoutError);
    await expect(runCommand("sleep", ["30"], { timeoutMs: 200 })).rejects.toThrow(/`sleep 30` did not finish within 0\.2 s/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it("stops on abort with the signal's reason", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("user left")), 100);
    await expect(runCommand("sleep", ["30"], { timeoutMs: 10_000, signal: ac.signal })).rejects.toThrow("user left");
  });
});
