import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native addons and Node-only libraries stay outside the server bundle.
  serverExternalPackages: ["node-pty", "better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg", "pino", "@kubernetes/client-node"],
  poweredByHeader: false,
};

export default nextConfig;
