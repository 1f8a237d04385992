// npm start: build the Next app if there is no production build yet, then serve it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!fs.existsSync(".next/BUILD_ID") || process.env.BREAKFIX_REBUILD === "1") {
  console.log("No production build yet: running next build (once)…");
  run("npx", ["next", "build"]);
}
run("npx", ["tsx", "server.ts"], { NODE_ENV: "production" });
