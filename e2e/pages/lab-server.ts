import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * A breakfix server of the test's own (for the restart test), on its own port and data dir.
 * `stop()` kills its whole process group and waits for it to exit; nothing is left running.
 */
export class LabServer {
  private child: ChildProcess | null = null;
  private log = "";
  constructor(
    readonly port: number,
    readonly dataDir: string,
    readonly driver: "sim" | "kind" = "sim",
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static fresh(port: number, dataDir: string, driver: "sim" | "kind" = "sim"): LabServer {
    fs.rmSync(path.resolve(dataDir), { recursive: true, force: true });
    return new LabServer(port, dataDir, driver);
  }

  async start(timeoutMs = 120_000): Promise<void> {
    const child = spawn("npx", ["tsx", "server.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(this.port),
        HOST: "127.0.0.1",
        BREAKFIX_DATA_DIR: this.dataDir,
        BREAKFIX_DRIVER: this.driver,
        LOG_LEVEL: "warn",
      },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    child.stdout?.on("data", (d: Buffer) => (this.log += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (this.log += d.toString()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${this.log.slice(-3000)}`);
      try {
        const r = await fetch(`${this.url}/api/health`);
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    await this.stop();
    throw new Error(`timed out after ${timeoutMs} ms waiting for the server on port ${this.port}:\n${this.log.slice(-3000)}`);
  }

  /** SIGTERM to the process group (npx → tsx → node), then SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child?.pid || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // already gone
      }
    };
    kill("SIGTERM");
    const t = setTimeout(() => kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(t);
  }

  output(): string {
    return this.log;
  }
}
