-- Exam attempts get a notepad (wiped when the attempt ends) and the page's last focus beat; each
-- task the time it was the open one. Existing rows get an empty notepad and no time yet.
ALTER TABLE "ExamAttempt" ADD COLUMN "notes" TEXT NOT NULL DEFAULT '';
ALTER TABLE "ExamAttempt" ADD COLUMN "focusAt" DATETIME;
ALTER TABLE "ExamAttempt" ADD COLUMN "focusPosition" INTEGER;
ALTER TABLE "ExamTask" ADD COLUMN "activeMs" INTEGER NOT NULL DEFAULT 0;
