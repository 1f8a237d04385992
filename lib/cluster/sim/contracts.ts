/**
 * Seams between the parts of a sim cluster, so each part is built and tested on its own:
 * the API layer (api/) serves what the store holds and asks the kubelets for logs; controllers/
 * and kubelet/ write to the store; node/ (static pods, components, node tools) drives both.
 */
import type { KubeObject } from "./store/types";

export interface LogRequest {
  namespace: string;
  pod: string;
  container?: string;
  previous?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  limitBytes?: number;
}

/** Where `GET …/pods/{name}/log` gets its text. Errors are thrown as StatusError (real messages). */
export interface LogSource {
  read(req: LogRequest): string;
  /** Streams new lines until the signal aborts or the container ends. */
  follow(req: LogRequest, onChunk: (text: string) => void, signal: AbortSignal): void;
}

/** Something running inside a sim cluster that can be stopped (a controller, a kubelet, a component). */
export interface SimComponent {
  stop(): void;
}

/** The event an emitter reports; the recorder fills timestamps, counts and the object reference. */
export interface EventInput {
  involvedObject: KubeObject;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  /** core/v1 source.component, e.g. "kubelet", "default-scheduler", "deployment-controller" */
  component: string;
  /** source.host for kubelet events */
  host?: string;
  /** field path for container events, e.g. "spec.containers{nginx}" */
  fieldPath?: string;
}

export interface EventRecorder {
  /** Records an event; a repeat of the same (object, reason, message, source) bumps count and lastTimestamp. */
  record(e: EventInput): void;
}
