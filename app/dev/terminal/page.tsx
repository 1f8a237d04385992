import { notFound } from "next/navigation";
import { TerminalTabs } from "@/components/terminal/terminal-tabs";
import { getConfig } from "@/lib/config";
import { DEV_LAB_SESSION_ID } from "@/lib/terminal/dev-local-shell";

// Read the config per request: the same build serves local and shared mode.
export const dynamic = "force-dynamic";

/**
 * Development page for the terminal: shells on this machine in temporary directories, no cluster.
 * It does not exist (404) unless the dev shell is allowed (never in shared mode).
 */
export default function DevTerminalPage() {
  if (!getConfig().devShell) notFound();
  return (
    <div className="flex flex-col gap-4">
      <section>
        <h1 className="text-2xl font-semibold">Terminal (development shell)</h1>
        <p className="mt-1 text-slate-400">
          Bash on this machine in a temporary directory, for building and testing the terminal. Labs use their cluster&apos;s
          nodes instead.
        </p>
      </section>
      <TerminalTabs
        labSessionId={DEV_LAB_SESSION_ID}
        nodes={[
          { name: "local", role: "control-plane" },
          { name: "local-2", role: "worker" },
        ]}
      />
    </div>
  );
}
