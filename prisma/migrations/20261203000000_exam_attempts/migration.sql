-- Exam attempts get their mode, seed and timer, and their tasks a table of their own.
-- "deadline" becomes nullable (the timer starts only when the first task's cluster is ready), which
-- SQLite can do only by rebuilding the table. No release ever wrote exam attempts before this
-- migration, so the copy below moves no rows and no foreign-key action fires on the drop.
CREATE TABLE "new_ExamAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "examId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'exam',
    "seed" TEXT NOT NULL DEFAULT '',
    "passPercent" INTEGER NOT NULL DEFAULT 66,
    "durationSeconds" INTEGER NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL DEFAULT 'provisioning',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "timerStartedAt" DATETIME,
    "deadline" DATETIME,
    "submittedAt" DATETIME,
    "gradedAt" DATETIME,
    "score" INTEGER,
    "maxScore" INTEGER,
    "passed" BOOLEAN,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "failureMessage" TEXT,
    CONSTRAINT "ExamAttempt_examId_fkey" FOREIGN KEY ("examId") REFERENCES "Exam" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ExamAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ExamAttempt" ("id", "examId", "userId", "state", "startedAt", "deadline", "submittedAt", "score", "maxScore", "passed", "detail")
SELECT "id", "examId", "userId", "state", "startedAt", "deadline", "submittedAt", "score", "maxScore", "passed", "detail" FROM "ExamAttempt";
DROP TABLE "ExamAttempt";
ALTER TABLE "new_ExamAttempt" RENAME TO "ExamAttempt";
CREATE INDEX "ExamAttempt_userId_idx" ON "ExamAttempt"("userId");
CREATE INDEX "ExamAttempt_state_idx" ON "ExamAttempt"("state");

-- CreateTable
CREATE TABLE "ExamTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "attemptId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "weight" INTEGER NOT NULL,
    "flagged" BOOLEAN NOT NULL DEFAULT false,
    "labSessionId" TEXT,
    CONSTRAINT "ExamTask_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "ExamAttempt" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ExamTask_labSessionId_fkey" FOREIGN KEY ("labSessionId") REFERENCES "LabSession" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ExamTask_labSessionId_key" ON "ExamTask"("labSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "ExamTask_attemptId_position_key" ON "ExamTask"("attemptId", "position");
