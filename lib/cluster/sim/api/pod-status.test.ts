import { describe, expect, it } from "vitest";
import { podStatusCells, type PodLike } from "./pod-status";

const now = new Date("2026-01-01T00:10:00Z");

function pod(status: PodLike["status"], extra: Partial<PodLike> = {}): PodLike {
  return { metadata: {}, spec: { containers: [{ name: "app" }] }, status, ...extra };
}

describe("podStatusCells (kubectl get pods READY/STATUS/RESTARTS)", () => {
  it("shows Running with ready count", () => {
    const c = podStatusCells(pod({ phase: "Running", containerStatuses: [{ name: "app", ready: true, restartCount: 0, state: { running: {} } }] }), now);
    expect(c).toEqual({ ready: "1/1", status: "Running", restarts: "0" });
  });
  it("shows the waiting reason and restarts with the time of the last one", () => {
    const c = podStatusCells(
      pod({
        phase: "Running",
        containerStatuses: [
          {
            name: "app",
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: "2026-01-01T00:09:27Z" } },
          },
        ],
      }),
      now,
    );
    expect(c).toEqual({ ready: "0/1", status: "CrashLoopBackOff", restarts: "3 (33s ago)" });
  });
  it("shows Error while the container sits terminated between restarts", () => {
    const c = podStatusCells(
      pod({ phase: "Running", containerStatuses: [{ name: "app", restartCount: 3, state: { terminated: { exitCode: 1, reason: "Error" } } }] }),
      now,
    );
    expect(c.status).toBe("Error");
  });
  it("shows ContainerCreating, ImagePullBackOff and Completed", () => {
    const w = (reason: string) => pod({ phase: "Pending", containerStatuses: [{ name: "app", state: { waiting: { reason } } }] });
    expect(podStatusCells(w("ContainerCreating"), now).status).toBe("ContainerCreating");
    expect(podStatusCells(w("ImagePullBackOff"), now).status).toBe("ImagePullBackOff");
    const done = pod({ phase: "Succeeded", containerStatuses: [{ name: "app", state: { terminated: { exitCode: 0, reason: "Completed" } } }] });
    expect(podStatusCells(done, now).status).toBe("Completed");
  });
  it("shows Init:N/M and Init:<reason> for init containers", () => {
    const spec = { containers: [{ name: "app" }], initContainers: [{ name: "a" }, { name: "b" }] };
    const running = pod({ phase: "Pending", initContainerStatuses: [{ name: "a", state: { terminated: { exitCode: 0 } } }, { name: "b", state: { running: {} } }] }, { spec });
    expect(podStatusCells(running, now).status).toBe("Init:1/2");
    const crashing = pod({ phase: "Pending", initContainerStatuses: [{ name: "a", restartCount: 2, state: { waiting: { reason: "CrashLoopBackOff" } } }] }, { spec });
    expect(podStatusCells(crashing, now).status).toBe("Init:CrashLoopBackOff");
  });
  it("shows Terminating for a deleted pod that has not finished, and Pending for an unscheduled one", () => {
    const p = pod({ phase: "Running", containerStatuses: [{ name: "app", ready: true, state: { running: {} } }] });
    p.metadata.deletionTimestamp = "2026-01-01T00:10:30Z";
    expect(podStatusCells(p, now).status).toBe("Terminating");
    expect(podStatusCells(pod({ phase: "Pending" }), now)).toEqual({ ready: "0/1", status: "Pending", restarts: "0" });
  });
});
