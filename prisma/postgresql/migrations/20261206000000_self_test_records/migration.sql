-- PostgreSQL twin of prisma/migrations/20261206000000_self_test_records (same tables, columns
-- and indexes, in the types Prisma's postgresql provider generates).
-- AlterTable
ALTER TABLE "LabSession" ADD COLUMN "resetCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SelfTestRecord" (
    "id" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "driver" TEXT NOT NULL,
    "variantId" TEXT,
    "ok" BOOLEAN NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "steps" TEXT NOT NULL,
    "error" TEXT,
    "gitCommit" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SelfTestRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SelfTestRecord_scenarioId_driver_idx" ON "SelfTestRecord"("scenarioId", "driver");
