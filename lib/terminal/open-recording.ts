import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { NotFoundError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { recordingsDir } from "./asciicast-recorder";

export interface RecordingSummary {
  id: string;
  labSessionId: string;
  node: string;
  startedAt: Date;
  endedAt: Date | null;
  bytes: number;
}

/** The recordings of one lab session, for its owner only (anyone else sees none: 404). */
export async function listRecordings(userId: string, labSessionId: string, deps: { prisma: PrismaClient }): Promise<RecordingSummary[]> {
  const lab = await deps.prisma.labSession.findUnique({ where: { id: labSessionId }, select: { userId: true } });
  if (!lab || lab.userId !== userId) throw new NotFoundError("No such lab session.");
  return deps.prisma.terminalRecording.findMany({
    where: { labSessionId },
    orderBy: { startedAt: "asc" },
    select: { id: true, labSessionId: true, node: true, startedAt: true, endedAt: true, bytes: true },
  });
}

/**
 * Opens one asciicast for replay, for the owner of its lab session only. A recording that is not
 * yours is "not found", not "forbidden": its existence is not yours to learn either.
 */
export async function openRecording(
  userId: string,
  recordingId: string,
  deps: { prisma: PrismaClient; dataDir: string },
): Promise<{ summary: RecordingSummary; stream: ReadableStream<Uint8Array> }> {
  return openRecordingOf({ ownedBy: userId }, recordingId, deps);
}

/**
 * Opens a learner's recording for the instructor's review of an attempt: any learner's when
 * `learnerIds` is null (an admin), else only those learners' (an instructor's classes). The caller
 * has checked that the user is an instructor (lib/auth/require-instructor.ts).
 */
export async function openRecordingForInstructor(
  recordingId: string,
  learnerIds: readonly string[] | null,
  deps: { prisma: PrismaClient; dataDir: string },
): Promise<{ summary: RecordingSummary; stream: ReadableStream<Uint8Array> }> {
  return openRecordingOf({ ownedBy: learnerIds }, recordingId, deps);
}

/** The stored path is relative to the recordings dir and re-checked to stay inside it. */
async function openRecordingOf(
  who: { ownedBy: string | readonly string[] | null },
  recordingId: string,
  deps: { prisma: PrismaClient; dataDir: string },
): Promise<{ summary: RecordingSummary; stream: ReadableStream<Uint8Array> }> {
  const rec = await deps.prisma.terminalRecording.findUnique({
    where: { id: recordingId },
    include: { labSession: { select: { userId: true } } },
  });
  const owned = who.ownedBy === null || (typeof who.ownedBy === "string" ? rec?.labSession.userId === who.ownedBy : who.ownedBy.includes(rec?.labSession.userId ?? ""));
  if (!rec || !owned) throw new NotFoundError("No such recording.");
  const root = recordingsDir(deps.dataDir);
  const file = path.resolve(root, rec.path);
  if (!file.startsWith(root + path.sep)) throw new NotFoundError("No such recording.");
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, "r");
  } catch {
    throw new NotFoundError("The recording's file is gone.");
  }
  const node = handle.createReadStream();
  const { labSession: _owner, path: _path, ...summary } = rec;
  return { summary, stream: Readable.toWeb(node) as ReadableStream<Uint8Array> };
}
