import { runLessonTestCli } from "@/lib/lessons/run-lesson-test-cli";

// npm run lesson:test -- <slug|all> [--driver sim|kind|ssh] [--parallel N] [--keep]
runLessonTestCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
