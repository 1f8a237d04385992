/** Commands the interpreter knows about: network clients, shells, and the busybox applets a busybox-based image has. */
export const NETWORK_TOOLS = new Set(["wget", "curl", "nc", "nslookup", "ping", "dig", "host", "telnet"]);
export const SHELLS = new Set(["sh", "ash", "bash"]);
export const BUSYBOX_APPLETS = new Set([
  "sh", "ash", "echo", "printf", "sleep", "true", "false", "touch", "rm", "mkdir", "cat", "date", "hostname",
  "env", "printenv", "ls", "ps", "top", "wget", "nc", "nslookup", "ping", "seq", "head", "tail", "grep", "sed",
  "awk", "tee", "dd", "yes", "id", "whoami", "uname", "df", "du", "free", "mount", "kill", "test", "[",
]);
