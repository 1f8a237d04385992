import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium when present (this project's CI); otherwise Playwright's own browser.
const debianChromium = "/usr/bin/chromium";
const executablePath = process.env.BREAKFIX_CHROMIUM ?? (fs.existsSync(debianChromium) ? debianChromium : undefined);

const PORT = Number(process.env.E2E_PORT ?? 3100);
// Shared mode (accounts, sign-in) is a second server beside the local-mode one (the restart, exam
// and kind specs start their own on PORT+1 and PORT+2).
const SHARED_PORT = Number(process.env.E2E_SHARED_PORT ?? PORT + 10);
/** The learner the shared-mode server is seeded with (e2e/sign-in.spec.ts signs in as them). */
export const SHARED_LEARNER = { email: "learner@example.test", name: "E2E Learner", password: "e2e learner password" };

export default defineConfig({
  testDir: "e2e",
  outputDir: "e2e-artifacts/results",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "local", testIgnore: /sign-in\.spec\.ts$/ },
    { name: "shared", testMatch: /sign-in\.spec\.ts$/, use: { baseURL: `http://127.0.0.1:${SHARED_PORT}` } },
  ],
  webServer: [
    {
      command: "npx tsx server.ts",
      url: `http://127.0.0.1:${PORT}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        NODE_ENV: "production",
        PORT: String(PORT),
        HOST: "127.0.0.1",
        BREAKFIX_DATA_DIR: ".data-e2e",
        BREAKFIX_DRIVER: "sim",
        // CI proves the cold start (every step of a lab's preparation); the lab pool has its own tests.
        BREAKFIX_LAB_POOL_SIZE: "0",
        LOG_LEVEL: "warn",
        // The terminal's browser test uses the development-only local shell (/dev/terminal).
        BREAKFIX_DEV_SHELL: "1",
      },
    },
    {
      // A fresh data dir each run; the first account is made with `npm run user`, as an admin would.
      command: `rm -rf .data-e2e-shared && printf '%s\\n' '${SHARED_LEARNER.password}' | npx tsx scripts/user.ts create ${SHARED_LEARNER.email} --name '${SHARED_LEARNER.name}' --role learner --password-stdin && npx tsx server.ts`,
      url: `http://127.0.0.1:${SHARED_PORT}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        NODE_ENV: "production",
        PORT: String(SHARED_PORT),
        HOST: "127.0.0.1",
        BREAKFIX_MODE: "shared",
        BREAKFIX_SECRET: "e2e-shared-mode-secret-of-at-least-32-chars",
        BREAKFIX_DATA_DIR: ".data-e2e-shared",
        BREAKFIX_DRIVER: "sim",
        BREAKFIX_LAB_POOL_SIZE: "0",
        LOG_LEVEL: "warn",
      },
    },
  ],
});
