import fs from "node:fs";
import type { IPty } from "node-pty";

/**
 * Writes keystrokes into a pty without a threadpool round trip. node-pty 1.1 writes with an async
 * fs.write, so every keystroke waits for a libuv worker thread to be scheduled before bash even
 * sees it; on a busy machine that is one more wake-up in the echo path. The pty master is
 * non-blocking (node-pty relies on EAGAIN itself), so a direct write either goes through at once
 * or fails with EAGAIN, and then the rest is queued and retried in order: never a blocked event
 * loop, never reordered input. Falls back to node-pty's own write where the fd is not exposed
 * (UnixTerminal has a runtime `fd` getter that its typings omit).
 */
export class PtyInput {
  private readonly fd: number | null;
  private readonly queue: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly pty: IPty) {
    const fd: unknown = "fd" in pty ? (pty as { fd: unknown }).fd : undefined;
    this.fd = typeof fd === "number" && process.platform !== "win32" ? fd : null;
  }

  write(data: Buffer): void {
    if (this.closed || data.byteLength === 0) return;
    if (this.fd === null) {
      this.pty.write(data);
      return;
    }
    this.queue.push(data);
    if (this.queue.length === 1) this.drain();
  }

  private drain(): void {
    this.timer = null;
    while (this.queue.length > 0 && !this.closed) {
      const head = this.queue[0]!;
      let n: number;
      try {
        n = fs.writeSync(this.fd!, head);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EAGAIN") {
          // The shell is not reading (a paste into `sleep 100`): retry soon, in order.
          this.timer = setTimeout(() => this.drain(), 5);
          return;
        }
        this.close(); // EIO/EBADF: the pty is gone; its exit handler does the rest
        return;
      }
      if (n >= head.byteLength) this.queue.shift();
      else this.queue[0] = head.subarray(n);
    }
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
