import { describe, expect, it } from "vitest";
import { fixSection, hintLeak } from "./hint-leaks";

const SOLUTION = `# Solution

## How to diagnose it

\`\`\`bash
kubectl -n shop describe pod web-1     # Events
kubectl -n shop rollout status deployment/web
\`\`\`

## The fix

Point the Deployment back at the image the team ships and wait for the rollout to finish.

\`\`\`bash
kubectl -n shop set image \\
  deployment/web web=nginx:1.27      # the tag the brief names
kubectl -n shop rollout status deployment/web
# or:
kubectl rollout undo
\`\`\`

## The tempting wrong fixes

- Any image that starts is not the image the team ships and wait for the rollout to finish: outside.
`;

describe("hint leaks", () => {
  const fix = fixSection(SOLUTION)!;

  it("takes the fix section's command lines, continuations joined and comments dropped", () => {
    expect(fix.line).toBe(10);
    // rollout status is also in the diagnosis, so it is not the fix's own.
    expect(fix.commands).toEqual([
      { command: "kubectl -n shop set image deployment/web web=nginx:1.27", line: 15 },
      { command: "kubectl rollout undo", line: 19 },
    ]);
  });

  it("flags a hint that contains a whole fix command, whatever its backticks and spacing", () => {
    expect(hintLeak("Try `kubectl -n shop set image  deployment/web web=nginx:1.27` now.", fix)).toEqual({
      kind: "command",
      repeated: "kubectl -n shop set image deployment/web web=nginx:1.27",
      line: 15,
    });
  });

  it("flags 8 words in a row from the fix's prose, and quotes the whole shared run", () => {
    expect(hintLeak("Just point the deployment back at the image the team ships, then check.", fix)).toMatchObject({
      kind: "phrase",
      repeated: "point the deployment back at the image the team ships",
      line: 12,
    });
  });

  it("does not count words the solution also says outside its fix section", () => {
    expect(hintLeak("It is the image the team ships and wait for the rollout to finish.", fix)).toBeUndefined();
  });

  it("lets a hint name diagnosis commands and share up to 7 words", () => {
    expect(hintLeak("`kubectl -n shop rollout status deployment/web` waits; `kubectl -n shop describe pod web-1` explains.", fix)).toBeUndefined();
    expect(hintLeak("Look at the image the team ships in the brief.", fix)).toBeUndefined();
  });

  it("finds no fix section in a solution without one", () => {
    expect(fixSection("# Solution\n\n## What happened\n\nx\n")).toBeUndefined();
  });
});
