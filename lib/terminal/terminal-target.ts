import type { ShellSpec } from "@/lib/cluster/types";

/** What a terminal attaches to, once the resolver has said the user may have it. */
export interface TerminalTarget {
  shell: ShellSpec;
  /** Whether the recording is linked to a LabSession row (the dev shell has none). */
  linkRecording: boolean;
  /** Runs once the pty is gone (the dev shell removes its temp dir). */
  cleanup?: () => void;
}

/**
 * The seam between terminals and labs: who may open a shell on which node, and what to spawn.
 * Both methods throw ForbiddenError / NotFoundError / ConflictError / UnavailableError (lib/errors)
 * and never start a process; `resolve` is called only right before the pty is spawned.
 */
export interface TerminalTargetResolver {
  /** Cheap check when a token is requested. */
  authorize(userId: string, labSessionId: string, node: string): Promise<void>;
  resolve(userId: string, labSessionId: string, node: string): Promise<TerminalTarget>;
}
