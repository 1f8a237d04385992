import { LIVE_ATTEMPT_STATES } from "@/lib/exams/attempt-states";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { LIVE_STATES } from "@/lib/labs/lab-states";
import { parseCheckResults } from "@/lib/labs/parse-check-results";

export interface BoardLab {
  labId: string;
  scenarioId: string;
  state: string;
  /** The provisioning step while the cluster is being prepared. */
  provisionStep: string | null;
  startedAt: Date;
  lastActivityAt: Date;
  /** From the learner's last check: how many checks passed, of how many; null before a first check. */
  checksPassed: number | null;
  checksTotal: number | null;
  checkRuns: number;
  hintsUsed: number;
}

export interface BoardExam {
  attemptId: string;
  slug: string;
  state: string;
  deadline: Date | null;
  tasks: number;
}

export interface BoardRow {
  userId: string;
  name: string;
  labs: BoardLab[];
  exams: BoardExam[];
  /** The latest moment the learner did something the server saw (a terminal keystroke, a check). */
  lastSeenAt: Date | null;
}

/**
 * Who is in which lab and how far: each member's live practice labs (with their last check's
 * passing checks) and live exam attempts. Exam tasks' check results stay hidden until grading, so
 * an exam shows only its state and deadline.
 */
export async function classBoard(prisma: PrismaClient, classId: string): Promise<BoardRow[]> {
  const members = await prisma.classMember.findMany({ where: { classId }, orderBy: { joinedAt: "asc" }, include: { user: { select: { name: true } } } });
  const userIds = members.map((m) => m.userId);
  const [labs, exams] = await Promise.all([
    prisma.labSession.findMany({
      where: { userId: { in: userIds }, state: { in: [...LIVE_STATES] }, examAttemptId: null },
      orderBy: { startedAt: "asc" },
      include: { checkRuns: { orderBy: { createdAt: "desc" }, take: 1 }, _count: { select: { checkRuns: true, hintUses: true } } },
    }),
    prisma.examAttempt.findMany({
      where: { userId: { in: userIds }, state: { in: [...LIVE_ATTEMPT_STATES] } },
      orderBy: { startedAt: "asc" },
      include: { exam: { select: { slug: true } }, _count: { select: { tasks: true } }, labSessions: { select: { lastActivityAt: true } } },
    }),
  ]);
  return members.map((m) => {
    const myLabs: BoardLab[] = labs
      .filter((l) => l.userId === m.userId)
      .map((l) => {
        const last = l.checkRuns[0];
        const rows = last ? parseCheckResults(last.results) : null;
        return {
          labId: l.id,
          scenarioId: l.scenarioId,
          state: l.state,
          provisionStep: l.provisionStep,
          startedAt: l.startedAt,
          lastActivityAt: l.lastActivityAt,
          checksPassed: rows ? rows.filter((r) => r.ok).length : null,
          checksTotal: rows ? rows.length : null,
          checkRuns: l._count.checkRuns,
          hintsUsed: l._count.hintUses,
        };
      });
    const myExams = exams.filter((e) => e.userId === m.userId);
    const seen = [...myLabs.map((l) => l.lastActivityAt), ...myExams.flatMap((e) => e.labSessions.map((s) => s.lastActivityAt))];
    return {
      userId: m.userId,
      name: m.user.name,
      labs: myLabs,
      exams: myExams.map((e) => ({ attemptId: e.id, slug: e.exam.slug, state: e.state, deadline: e.deadline, tasks: e._count.tasks })),
      lastSeenAt: seen.length ? new Date(Math.max(...seen.map((d) => d.getTime()))) : null,
    };
  });
}
