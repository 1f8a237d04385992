import { driverFactories } from "@/lib/cluster/drivers";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db";
import { createExamDeps } from "@/lib/exams/create-exam-deps";
import type { ExamDeps } from "@/lib/exams/exam-deps";
import { createLabDeps } from "@/lib/labs/create-lab-deps";
import { lookupLabSessionCluster } from "@/lib/labs/lab-cluster-lookup";
import type { LabDeps } from "@/lib/labs/lab-deps";
import { createLabDrivers, type LabDrivers } from "@/lib/labs/lab-drivers";
import { logger } from "@/lib/logger";
import { getExams } from "@/lib/exams/exam-registry";
import type { InstructorDeps } from "@/lib/instructor/instructor-deps";
import { getScenarios } from "@/lib/packs/registry";
import { visibleLearnerIds, type Viewer } from "@/lib/instructor/learner-scope";
import { listRecordings, openRecording, openRecordingForInstructor, type RecordingSummary } from "@/lib/terminal/open-recording";
import { getTerminalService, type TerminalService } from "@/lib/terminal/terminal-service";

/** Terminal recordings, for their owner only (see open-recording.ts). */
export interface Recordings {
  list(userId: string, labSessionId: string): Promise<RecordingSummary[]>;
  open(userId: string, recordingId: string): ReturnType<typeof openRecording>;
  /** Any learner's recording; only after requireInstructor. */
  openAsInstructor(recordingId: string, viewer: Viewer): ReturnType<typeof openRecording>;
}

export interface Services {
  labs: LabDeps;
  /** Exam attempts, whose tasks are labs. */
  exams: ExamDeps;
  drivers: LabDrivers;
  terminals: TerminalService;
  recordings: Recordings;
  /** The instructor pages' reads (lib/instructor). */
  instructor: InstructorDeps;
}

let cached: Services | undefined;

/**
 * The composition root: the one place that builds the drivers, lib/labs' dependencies, the
 * terminal service and recordings, and wires labs and terminals to each other (labs close a lab's
 * terminals; terminals ask labs for a lab's cluster), so neither imports the other and app/ never
 * reaches the database itself.
 *
 * One per module graph, not per process: server.ts and Next's route handlers each call their own
 * copies of lib/ so that errors keep their classes for toHttp; what must be shared (driver
 * instances, attached clusters, the terminal manager) lives in process singletons below this.
 */
export function services(): Services {
  if (cached) return cached;
  const config = getConfig();
  const drivers = createLabDrivers({ factories: driverFactories, config, log: logger });
  // The terminal service is reached lazily: labs need it only to close terminals, and it needs
  // labs only to find a cluster, so neither is built before the other exists.
  const terminals = (): TerminalService =>
    getTerminalService({ config, prisma: db, clusterFor: (lab) => lookupLabSessionCluster(labs, lab) });
  const labs: LabDeps = createLabDeps({
    db: db(),
    drivers,
    closeTerminals: async (id) => {
      await terminals().manager.closeLab(id);
    },
    maxLiveLabsPerUser: config.maxLiveLabsPerUser,
  });
  cached = {
    labs,
    exams: createExamDeps({ labs, config: config.exams }),
    drivers,
    get terminals() {
      return terminals();
    },
    recordings: {
      list: (userId, labSessionId) => listRecordings(userId, labSessionId, { prisma: db() }),
      open: (userId, recordingId) => openRecording(userId, recordingId, { prisma: db(), dataDir: config.dataDir }),
      openAsInstructor: async (recordingId, viewer) =>
        openRecordingForInstructor(recordingId, await visibleLearnerIds(db(), viewer), { prisma: db(), dataDir: config.dataDir }),
    },
    instructor: { db: db(), scenarios: getScenarios, exams: getExams, now: () => new Date() },
  };
  return cached;
}
