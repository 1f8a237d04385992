/**
 * `kubectl attach` (and `kubectl run -it`, which attaches): a container whose main process is an
 * interactive shell (stdin: true, `sh` without a script) waits on its stdin in the kubelet model;
 * the first attach starts that shell for real in the container's sandbox (container-exec.ts), and
 * later attaches join it (one terminal, several viewers, as with the runtime's attach). When it
 * exits, the container exits with its code. Detaching leaves it running, unless stdinOnce says
 * stdin closes after the first session. Any other container's attach streams its output.
 */
import type { ExecStream, ExecStreamIo, ExecStreamRequest } from "./kubelet-seams";
import type { ContainerRuntimeState, PodRuntimeState } from "./pod-runtime-state";

interface Session {
  proc: ExecStream;
  viewers: Set<ExecStreamIo>;
  attachedOnce: boolean;
}

export interface AttachDeps {
  /** Starts the container's main command in its sandbox. */
  start(rt: PodRuntimeState, st: ContainerRuntimeState, req: ExecStreamRequest, io: ExecStreamIo): ExecStream;
  subscribeLogs(containerId: string, fn: (line: { stream: "stdout" | "stderr"; text: string }) => void): () => void;
  /** The main process ended with `code`. */
  exited(rt: PodRuntimeState, st: ContainerRuntimeState, code: number): void;
  /** The image's entrypoint and cmd, for a container that does not set command/args. */
  mainCommand(st: ContainerRuntimeState): string[];
}

export interface ContainerAttach {
  attach(rt: PodRuntimeState, st: ContainerRuntimeState, req: ExecStreamRequest, io: ExecStreamIo): ExecStream;
  /** The container stops (killed, pod deleted): its attached shell goes too. */
  stopped(containerId: string): void;
}

const SHELL = /(^|\/)(sh|ash|bash)$/;

/** Whether the container's main process is an interactive shell waiting on stdin. */
export function waitsOnStdin(c: { stdin?: boolean; command?: string[]; args?: string[] }, main: string[]): boolean {
  return !!c.stdin && main.length > 0 && SHELL.test(main[0]!) && !main.includes("-c");
}

export function createContainerAttach(deps: AttachDeps): ContainerAttach {
  const sessions = new Map<string, Session>();

  function logStream(st: ContainerRuntimeState, io: ExecStreamIo): ExecStream {
    let stop = () => undefined as void;
    const done = new Promise<number>((resolve) => {
      const unsub = deps.subscribeLogs(st.current!.id, (l) => (l.stream === "stderr" ? io.stderr : io.stdout)(Buffer.from(`${l.text}\n`)));
      stop = () => {
        unsub();
        resolve(0);
      };
    });
    return { write: () => undefined, endStdin: () => undefined, resize: () => undefined, kill: () => stop(), done };
  }

  return {
    attach(rt, st, req, io) {
      const id = st.current!.id;
      const main = deps.mainCommand(st);
      if (!waitsOnStdin(st.spec, main)) return logStream(st, io);
      let s = sessions.get(id);
      if (!s) {
        const viewers = new Set<ExecStreamIo>();
        const fanout: ExecStreamIo = {
          stdout: (d) => viewers.forEach((v) => v.stdout(d)),
          stderr: (d) => viewers.forEach((v) => v.stderr(d)),
        };
        const proc = deps.start(rt, st, { ...req, command: main, tty: !!st.spec.tty }, fanout);
        s = { proc, viewers, attachedOnce: false };
        sessions.set(id, s);
        void proc.done.then((code) => {
          sessions.delete(id);
          deps.exited(rt, st, code);
        });
      }
      const session = s;
      session.viewers.add(io);
      session.attachedOnce = true;
      const done = new Promise<number>((resolve) => {
        void session.proc.done.then(resolve);
      });
      return {
        write: (d) => session.proc.write(d),
        endStdin: () => {
          if (!st.spec.tty) session.proc.endStdin();
        },
        resize: (cols, rows) => session.proc.resize(cols, rows),
        // Detach: the shell runs on, unless its stdin closes with the first session (stdinOnce).
        kill: () => {
          session.viewers.delete(io);
          if (st.spec.stdinOnce && session.viewers.size === 0) {
            if (st.spec.tty) session.proc.kill();
            else session.proc.endStdin();
          }
        },
        done,
      };
    },
    stopped(containerId) {
      sessions.get(containerId)?.proc.kill();
    },
  };
}
