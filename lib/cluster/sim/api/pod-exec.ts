import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { ExecRequest, ExecResult } from "../kubelet/kubelet-seams";
import { StatusError } from "../store/status-error";

/**
 * `kubectl exec` over the Kubernetes WebSocket remote-command protocol (v5/v4.channel.k8s.io,
 * what kubectl 1.32 speaks first): channel 1 stdout, 2 stderr, 3 the final Status, whose
 * NonZeroExitCode cause becomes kubectl's exit code. The command runs in the kubelet model
 * (non-interactive); `-it` sessions get a clear message instead of a shell.
 */

export type ExecFn = (req: ExecRequest) => ExecResult;

const PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"];
const wss = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
});

function frame(channel: number, text: string): Buffer {
  return Buffer.concat([Buffer.from([channel]), Buffer.from(text, "utf8")]);
}

/** The path of an exec request, or null for anything else. */
export function execTarget(url: string): { namespace: string; pod: string; query: URLSearchParams } | null {
  const u = new URL(url, "https://sim");
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(u.pathname);
  return m ? { namespace: decodeURIComponent(m[1]!), pod: decodeURIComponent(m[2]!), query: u.searchParams } : null;
}

function finish(ws: WebSocket, status: object): void {
  ws.send(frame(3, JSON.stringify(status)), () => ws.close(1000));
}

/** Completes the upgrade and runs the command; errors travel as the Status on channel 3. */
export function handleExecUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecFn | undefined): void {
  const target = execTarget(req.url ?? "/");
  if (!target) {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    const q = target.query;
    const command = q.getAll("command");
    const run = () => {
      try {
        if (!exec) throw new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "exec is not available: the kubelets are not running", reason: "", code: 500 });
        if (q.get("tty") === "true") {
          ws.send(frame(2, "The simulated cluster runs commands in containers without a terminal: use kubectl exec POD -- COMMAND (without -it), or a node shell.\r\n"));
          return finish(ws, { metadata: {}, status: "Failure", message: "command terminated with non-zero exit code: interactive sessions are not supported, exit code 126", reason: "NonZeroExitCode", details: { causes: [{ reason: "ExitCode", message: "126" }] } });
        }
        const r = exec({ namespace: target.namespace, pod: target.pod, container: q.get("container") ?? undefined, command });
        if (r.stdout && q.get("stdout") !== "false") ws.send(frame(1, r.stdout));
        if (r.stderr && q.get("stderr") !== "false") ws.send(frame(2, r.stderr));
        if (r.exitCode === 0) return finish(ws, { metadata: {}, status: "Success" });
        finish(ws, {
          metadata: {},
          status: "Failure",
          message: `command terminated with non-zero exit code: error executing command [${command.join(" ")}], exit code ${r.exitCode}`,
          reason: "NonZeroExitCode",
          details: { causes: [{ reason: "ExitCode", message: String(r.exitCode) }] },
        });
      } catch (e) {
        const message = e instanceof StatusError ? e.status.message : e instanceof Error ? e.message : String(e);
        finish(ws, { metadata: {}, status: "Failure", message, reason: e instanceof StatusError ? e.status.reason : "InternalError", code: e instanceof StatusError ? e.code : 500 });
      }
    };
    // With -i, stdin is read until the client closes it (v5 close signal) before the command runs.
    if (q.get("stdin") === "true" && q.get("tty") !== "true") {
      let ran = false;
      const go = () => {
        if (!ran) {
          ran = true;
          run();
        }
      };
      ws.on("message", (data: Buffer) => {
        if (data[0] === 255) go();
      });
      setTimeout(go, 2000).unref();
    } else run();
  });
}
