-- Self-test runs stored by `npm run scenario:test -- <slug> --record` (one row per pack and
-- variant run), shown on the instructor page; and how often a lab was reset, for its analytics.
-- Existing labs count as never reset.
ALTER TABLE "LabSession" ADD COLUMN "resetCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SelfTestRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "scenarioId" TEXT NOT NULL,
    "driver" TEXT NOT NULL,
    "variantId" TEXT,
    "ok" BOOLEAN NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "steps" TEXT NOT NULL,
    "error" TEXT,
    "gitCommit" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "SelfTestRecord_scenarioId_driver_idx" ON "SelfTestRecord"("scenarioId", "driver");
