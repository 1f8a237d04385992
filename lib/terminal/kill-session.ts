import fs from "node:fs";

/**
 * Pids of every process in session `sid`. node-pty starts the shell with setsid(), so the shell's
 * pid is its session id and every job it starts (background ones too, which live in their own
 * process groups) carries it. Read from /proc (Linux); elsewhere only the shell itself is known.
 */
export function sessionMembers(sid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
    } catch {
      continue; // gone between readdir and read
    }
    // "pid (comm) state ppid pgrp session ..." – comm may hold spaces and parentheses.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const state = rest[0];
    if (Number(rest[3]) === sid && state !== "Z") out.push(Number(e));
  }
  return out;
}

/** SIGKILLs every live process of the session; returns how many were signalled. */
export function killSession(sid: number): number {
  let n = 0;
  for (const pid of sessionMembers(sid)) {
    try {
      process.kill(pid, "SIGKILL");
      n++;
    } catch {
      // already gone
    }
  }
  return n;
}

/** Whether pid is a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    try {
      process.kill(pid, 0);
      return !fs.existsSync("/proc/self");
    } catch {
      return false;
    }
  }
}
