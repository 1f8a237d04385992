import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { z } from "zod";
import type { ExecRequest, ExecResult, ExecStream, ExecStreamIo, ExecStreamRequest } from "../kubelet/kubelet-seams";
import { StatusError } from "../store/status-error";

/**
 * `kubectl exec` over the Kubernetes WebSocket remote-command protocol (v5/v4.channel.k8s.io,
 * what kubectl 1.32 speaks first): channel 0 stdin, 1 stdout, 2 stderr, 3 the final Status, whose
 * NonZeroExitCode cause becomes kubectl's exit code, 4 the terminal size ({"Width","Height"});
 * v5 adds the close frame [255, channel] (stdin's end). The command runs in the container's real
 * shell when the kubelet offers one (`stream`, a sandbox: stdin, TTY, output as it comes), else in
 * the kubelet model, whose output comes at once and which has no TTY.
 */

export interface ExecFn {
  (req: ExecRequest): ExecResult;
  stream?(req: ExecStreamRequest, io: ExecStreamIo): ExecStream | undefined;
  attach?(req: ExecStreamRequest, io: ExecStreamIo): ExecStream | undefined;
}

const CH = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;
const ResizeMessage = z.object({ Width: z.number().int().nonnegative(), Height: z.number().int().nonnegative() });

const PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"];
const wss = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
});

function frame(channel: number, text: string): Buffer {
  return Buffer.concat([Buffer.from([channel]), Buffer.from(text, "utf8")]);
}

/** The path of an exec or attach request, or null for anything else. */
export function execTarget(url: string): { namespace: string; pod: string; query: URLSearchParams; attach: boolean } | null {
  const u = new URL(url, "https://sim");
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/.exec(u.pathname);
  return m ? { namespace: decodeURIComponent(m[1]!), pod: decodeURIComponent(m[2]!), query: u.searchParams, attach: m[3] === "attach" } : null;
}

function finish(ws: WebSocket, status: object): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(frame(3, JSON.stringify(status)), () => ws.close(1000));
}

function exitStatus(command: string[], exitCode: number): object {
  if (exitCode === 0) return { metadata: {}, status: "Success" };
  return {
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: error executing command [${command.join(" ")}], exit code ${exitCode}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(exitCode) }] },
  };
}

function errorStatus(e: unknown): object {
  const message = e instanceof StatusError ? e.status.message : e instanceof Error ? e.message : String(e);
  return { metadata: {}, status: "Failure", message, reason: e instanceof StatusError ? e.status.reason : "InternalError", code: e instanceof StatusError ? e.code : 500 };
}

/** Wires a running sandbox to the WebSocket: stdin and resizes in, output and the exit Status out. */
function serveStream(ws: WebSocket, q: URLSearchParams, command: string[], proc: ExecStream, tty: boolean, attach: boolean): void {
  // An exec without -i has no stdin; an attach without -i only watches (the process keeps its stdin).
  if (q.get("stdin") !== "true" && !attach) proc.endStdin();
  ws.on("message", (data: Buffer) => {
    if (!Buffer.isBuffer(data) || data.length === 0) return;
    const ch = data[0];
    const body = data.subarray(1);
    if (ch === CH.stdin) proc.write(body);
    else if (ch === CH.close && body[0] === CH.stdin) proc.endStdin();
    else if (ch === CH.resize) {
      try {
        const r = ResizeMessage.safeParse(JSON.parse(body.toString("utf8")));
        if (r.success) proc.resize(r.data.Width, r.data.Height);
      } catch {
        // A malformed resize message changes nothing.
      }
    }
  });
  ws.on("close", () => proc.kill());
  void proc.done.then((code) => {
    // A pty may deliver its last output just after the exit; let it reach the socket first.
    setTimeout(() => finish(ws, exitStatus(command, code)), tty ? 50 : 0);
  });
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
    const tty = q.get("tty") === "true";
    if (target.attach || exec?.stream) {
      let proc: ExecStream | undefined;
      try {
        if (!exec) throw new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "attach is not available: the kubelets are not running", reason: "", code: 500 });
        const open = target.attach ? exec.attach : exec.stream;
        if (!open) throw new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "attach is not supported by this kubelet", reason: "", code: 500 });
        proc = open(
          { namespace: target.namespace, pod: target.pod, container: q.get("container") ?? undefined, command, tty },
          {
            stdout: (d) => {
              if (q.get("stdout") !== "false" && ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([CH.stdout]), d]));
            },
            stderr: (d) => {
              if (q.get("stderr") !== "false" && ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([CH.stderr]), d]));
            },
          },
        );
      } catch (e) {
        return finish(ws, errorStatus(e));
      }
      if (proc) return serveStream(ws, q, command, proc, tty, target.attach);
      if (target.attach) return finish(ws, errorStatus(new Error("attach is not supported by this kubelet")));
    }
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
        finish(ws, exitStatus(command, r.exitCode));
      } catch (e) {
        finish(ws, errorStatus(e));
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
