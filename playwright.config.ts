import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium when present (this project's CI); otherwise Playwright's own browser.
const debianChromium = "/usr/bin/chromium";
const executablePath = process.env.BREAKFIX_CHROMIUM ?? (fs.existsSync(debianChromium) ? debianChromium : undefined);

const PORT = Number(process.env.E2E_PORT ?? 3100);

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
  webServer: {
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
});
