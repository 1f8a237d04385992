import { isDefaultBinary } from "./image-process";
import { BUSYBOX_APPLETS, NETWORK_TOOLS } from "./known-commands";
import { runNetworkTool } from "./network-tools";
import type { PlanInput } from "./run-plan";
import type { ScriptState } from "./script-state";

function expand(word: string, st: ScriptState, input: PlanInput): string {
  return word
    .replace(/\$\(date\)/g, "{{time:date}}")
    .replace(/\$\(hostname\)/g, input.podName)
    .replace(/\$\{?(\w+)\}?/g, (_m, k: string) => (k === "HOSTNAME" ? input.podName : (st.vars[k] ?? input.env[k] ?? "")));
}

export function runStatement(words: string[], st: ScriptState, input: PlanInput): void {
  const raw = words[0] ?? "";
  const assign = /^(\w+)=(.*)$/.exec(raw);
  if (assign && words.length === 1) {
    const [, k, v] = assign;
    if (v && (v.match(new RegExp(`\\$\\{?${k}\\}?`, "g"))?.length ?? 0) >= 2) st.bomb = true;
    st.vars[k!] = expand(v ?? "", st, input);
    st.status = 0;
    return;
  }
  const args = words.slice(1).map((w) => expand(w, st, input));
  const name = raw.split("/").pop() ?? raw;
  const log = (line: string) => st.steps.push({ at: st.t, log: line });
  switch (name) {
    case "echo": {
      const noNl = args[0] === "-n";
      const e = args[0] === "-e";
      const text = args.slice(noNl || e ? 1 : 0).join(" ");
      for (const l of text.split(e ? /\\n/ : /\n/)) log(l);
      st.status = 0;
      return;
    }
    case "printf":
      for (const l of (args[0] ?? "").replace(/%s/g, args[1] ?? "").split(/\\n|\n/).filter((x, i, a) => x || i < a.length - 1)) log(l);
      st.status = 0;
      return;
    case "sleep": {
      const v = args[0] ?? "0";
      if (v === "infinity" || v === "inf") {
        st.forever = true;
        return;
      }
      const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(v);
      if (!m) {
        log(`sleep: invalid number '${v}'`);
        st.status = 1;
        return;
      }
      const unit = { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? ""] ?? 1000;
      st.t += Number(m[1]) * unit;
      st.status = 0;
      return;
    }
    case "exit":
      st.exit = Number(args[0] ?? st.status) & 255;
      return;
    case "true":
    case ":":
    case "mkdir":
      st.status = 0;
      return;
    case "false":
      st.status = 1;
      return;
    case "touch":
      for (const f of args) {
        st.files[f] = st.files[f] ?? "";
        st.steps.push({ at: st.t, touch: f });
      }
      st.status = 0;
      return;
    case "rm":
      for (const f of args.filter((a) => !a.startsWith("-"))) {
        delete st.files[f];
        st.steps.push({ at: st.t, rm: f });
      }
      st.status = 0;
      return;
    case "cat":
      st.status = 0;
      for (const f of args) {
        if (f in st.files) {
          const text = st.files[f]!;
          if (text) for (const l of text.replace(/\n$/, "").split("\n")) log(l);
        }
        else {
          log(`cat: can't open '${f}': No such file or directory`);
          st.status = 1;
        }
      }
      return;
    case "date":
      log("{{time:date}}");
      st.status = 0;
      return;
    case "hostname":
      log(input.podName);
      st.status = 0;
      return;
    case "env":
    case "printenv":
      // printenv NAME…: each set variable's value on its own line; status 1 if any is unset
      // (busybox and coreutils alike).
      st.status = 0;
      if (args.length) {
        for (const a of args) {
          if (input.env[a] !== undefined) log(input.env[a]!);
          else st.status = 1;
        }
      } else for (const [k, v] of Object.entries({ HOSTNAME: input.podName, ...input.env })) log(`${k}=${v}`);
      return;
    case "exec": {
      const target = args[0] ?? "";
      if (isDefaultBinary(target, input.image)) st.execDefault = true;
      else runStatement(args, st, input);
      st.forever ||= st.execDefault ?? false;
      return;
    }
    case "wget":
    case "curl":
    case "nc":
    case "nslookup":
    case "ping":
      if (!(input.image.behaviour.tools ?? []).includes(name)) break;
      runNetworkTool(name, args, st, input);
      return;
    default:
      // Control flow is not interpreted, and other coreutils/busybox commands just succeed.
      if (["if", "for", "case", "then", "fi", "do", "done", "else", "dig", "host", "telnet"].includes(name) || (BUSYBOX_APPLETS.has(name) && !NETWORK_TOOLS.has(name))) {
        st.status = 0;
        return;
      }
      if (isDefaultBinary(raw, input.image)) {
        st.execDefault = true;
        st.forever = true;
        return;
      }
  }
  log(`sh: ${raw}: not found`);
  st.status = 127;
}
