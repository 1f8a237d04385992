-- Exam attempts get a notepad (wiped when the attempt ends) and the page's last focus beat; each
-- task the time it was the open one. Existing rows get an empty notepad and no time yet.

-- AlterTable
ALTER TABLE "ExamAttempt" ADD COLUMN "notes" TEXT NOT NULL DEFAULT '',
ADD COLUMN "focusAt" TIMESTAMP(3),
ADD COLUMN "focusPosition" INTEGER;

-- AlterTable
ALTER TABLE "ExamTask" ADD COLUMN "activeMs" INTEGER NOT NULL DEFAULT 0;
