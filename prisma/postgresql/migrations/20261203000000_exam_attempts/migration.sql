-- Exam attempts get their mode, seed and timer, and their tasks a table of their own.
-- "deadline" becomes nullable (the timer starts only when the first task's cluster is ready);
-- PostgreSQL alters the column in place where SQLite rebuilds the table.

-- AlterTable
ALTER TABLE "ExamAttempt" ADD COLUMN "mode" TEXT NOT NULL DEFAULT 'exam',
ADD COLUMN "seed" TEXT NOT NULL DEFAULT '',
ADD COLUMN "passPercent" INTEGER NOT NULL DEFAULT 66,
ADD COLUMN "durationSeconds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "timerStartedAt" TIMESTAMP(3),
ADD COLUMN "gradedAt" TIMESTAMP(3),
ADD COLUMN "failureMessage" TEXT,
ALTER COLUMN "state" SET DEFAULT 'provisioning',
ALTER COLUMN "deadline" DROP NOT NULL;

-- CreateTable
CREATE TABLE "ExamTask" (
    "id" TEXT NOT NULL,
    "attemptId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "weight" INTEGER NOT NULL,
    "flagged" BOOLEAN NOT NULL DEFAULT false,
    "labSessionId" TEXT,

    CONSTRAINT "ExamTask_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExamAttempt_state_idx" ON "ExamAttempt"("state");

-- CreateIndex
CREATE UNIQUE INDEX "ExamTask_labSessionId_key" ON "ExamTask"("labSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "ExamTask_attemptId_position_key" ON "ExamTask"("attemptId", "position");

-- AddForeignKey
ALTER TABLE "ExamTask" ADD CONSTRAINT "ExamTask_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "ExamAttempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExamTask" ADD CONSTRAINT "ExamTask_labSessionId_fkey" FOREIGN KEY ("labSessionId") REFERENCES "LabSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;
