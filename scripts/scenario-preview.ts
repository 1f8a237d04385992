import { spawn } from "node:child_process";
import { getConfig } from "@/lib/config";
import { BreakfixError } from "@/lib/errors";
import { parsePreviewArgs, PREVIEW_USAGE } from "@/lib/instructor/parse-preview-args";
import { previewLab } from "@/lib/instructor/preview-lab";

// npm run scenario:preview -- <slug> [--variant V] [--no-open]
const say = (line: string) => console.error(line);

/**
 * `npm start` in its own process group, so stopping it stops the whole tree (npx → tsx → node).
 * Its output goes to stderr: stdout carries only the URL, for scripts.
 */
function startServer() {
  const child = spawn("node", ["scripts/start.mjs"], { stdio: ["ignore", 2, 2], detached: true, env: process.env });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    exited,
    async stop() {
      if (child.exitCode !== null || !child.pid) return;
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
    },
  };
}

/** The desktop's opener, as an argv (never a shell string); a failure only means "open it yourself". */
function openInBrowser(url: string): void {
  const cmd = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  try {
    const c = spawn(cmd, [url], { stdio: "ignore", detached: true });
    c.on("error", () => say(`(could not run ${cmd}: open the URL yourself)`));
    c.unref();
  } catch {
    say(`(could not run ${cmd}: open the URL yourself)`);
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parsePreviewArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof BreakfixError) {
      say(`${err.message}\n${err.hint ?? PREVIEW_USAGE}`);
      return 2;
    }
    throw err;
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on("SIGINT", onSigint);
  const r = await previewLab(args, { origin: getConfig().origin, fetch, startServer, say, signal: controller.signal }).catch((err: unknown) => {
    if (err instanceof BreakfixError) {
      say(`✘ ${err.message}${err.hint ? `\n  ${err.hint}` : ""}`);
      return null;
    }
    throw err;
  });
  if (!r) return 1;
  say(`${r.resumed ? "resumed your live lab" : "started a lab"} of ${args.slug}${args.variant ? ` (variant ${args.variant})` : ""}; it is being prepared.`);
  console.log(r.url);
  const display = process.platform !== "linux" || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!args.noOpen && display) openInBrowser(r.url);
  if (!r.server) return 0;
  say("The server started for this preview runs until Ctrl-C.");
  await new Promise<void>((resolve) => {
    if (controller.signal.aborted) resolve();
    controller.signal.addEventListener("abort", () => resolve(), { once: true });
    void r.server!.exited.then(() => resolve());
  });
  await r.server.stop();
  process.off("SIGINT", onSigint);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
