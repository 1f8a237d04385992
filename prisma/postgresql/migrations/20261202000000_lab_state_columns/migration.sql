-- LabSession.stateDetail held either "step: <step>" or "<failure message>\n<hint>"; each now has a typed column.
ALTER TABLE "LabSession" ADD COLUMN "provisionStep" TEXT,
ADD COLUMN "failureMessage" TEXT,
ADD COLUMN "failureHint" TEXT;

UPDATE "LabSession" SET "provisionStep" = substr("stateDetail", 7) WHERE "stateDetail" LIKE 'step: %';

UPDATE "LabSession"
SET
    "failureMessage" = CASE WHEN strpos("stateDetail", chr(10)) > 0 THEN substr("stateDetail", 1, strpos("stateDetail", chr(10)) - 1) ELSE "stateDetail" END,
    "failureHint" = CASE WHEN strpos("stateDetail", chr(10)) > 0 THEN substr("stateDetail", strpos("stateDetail", chr(10)) + 1) ELSE NULL END
WHERE "stateDetail" IS NOT NULL AND "stateDetail" NOT LIKE 'step: %';

ALTER TABLE "LabSession" DROP COLUMN "stateDetail";
