import path from "node:path";
import { z } from "zod";

const DRIVERS = ["auto", "kind", "sim", "ssh"] as const;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number({ message: "must be a port number (1-65535)" }).int().min(1).max(65535).default(3000),
  BREAKFIX_DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: (SQLite) or postgresql://")
    .optional(),
  BREAKFIX_DRIVER: z.enum(DRIVERS).default("auto"),
  BREAKFIX_MODE: z.enum(["local", "shared"]).default("local"),
  /** HMAC key for terminal tokens; in local mode one is generated into the data dir if unset. */
  BREAKFIX_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Public origin of the app (for the WebSocket Origin check behind a proxy). */
  BREAKFIX_ORIGIN: z.string().url().optional(),
  /** More Host names the server answers to besides BREAKFIX_ORIGIN's, comma-separated (host or host:port). */
  BREAKFIX_ALLOWED_HOSTS: z
    .string()
    .regex(/^\s*[A-Za-z0-9.[\]:-]+(\s*,\s*[A-Za-z0-9.[\]:-]+)*\s*$/, "must be a comma-separated list of host or host:port names")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** kind driver: warm clusters kept ready (0 turns the pool off). */
  BREAKFIX_KIND_POOL_SIZE: z.coerce.number().int().min(0).max(10).default(1),
  /** kind driver: workers per warm cluster; only labs asking for this many take from the pool. */
  BREAKFIX_KIND_POOL_WORKERS: z.coerce.number().int().min(0).max(5).default(1),
  /** kind driver: overrides the pinned kindest/node image (lib/cluster/kind/kind-pins.ts). */
  BREAKFIX_KIND_NODE_IMAGE: z.string().regex(/^\S+$/, "must be an image reference without spaces").optional(),
  /** kind driver: seconds between garbage collections of orphaned breakfix- clusters. */
  BREAKFIX_KIND_GC_INTERVAL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(300),
  /** YAML file listing the kubeadm clusters the ssh driver may use; default <data dir>/ssh-clusters.yaml. */
  BREAKFIX_SSH_CLUSTERS: z.string().min(1).optional(),
  /** Development-only local shell for the terminal ("1" allows it in production; never in shared mode). */
  BREAKFIX_DEV_SHELL: z.enum(["0", "1"]).optional(),
  /** sim driver: one process per cluster (isolation) or all clusters in one host process (memory). */
  BREAKFIX_SIM_PROCESS_MODEL: z.enum(["per-cluster", "shared-host"]).default("per-cluster"),
  /** sim driver: key algorithm of new clusters' PKI (rsa = RSA 2048 like kubeadm/kind; ecdsa = P-256, faster start). */
  BREAKFIX_SIM_KEY_ALGORITHM: z.enum(["rsa", "ecdsa"]).default("rsa"),
  /** Labs kept prepared per pack (setup done, fault shown), for every driver; unset: 1 on sim, 0 elsewhere. */
  BREAKFIX_LAB_POOL_SIZE: z.coerce.number({ message: "must be a whole number from 0 to 5" }).int().min(0).max(5).optional(),
  /** Practice labs one user may have live at once (each holds a cluster); exam tasks are not counted. */
  BREAKFIX_MAX_LIVE_LABS_PER_USER: z.coerce.number({ message: "must be a whole number from 1 to 20" }).int().min(1).max(20).default(3),
  /** Terminals one user may have open at once, over all their labs (each is a process on the server). */
  BREAKFIX_MAX_TERMINALS_PER_USER: z.coerce.number({ message: "must be a whole number from 1 to 50" }).int().min(1).max(50).default(6),
  /** OIDC sign-in (shared mode): the identity provider's issuer URL; with CLIENT_ID and CLIENT_SECRET, all or none. */
  BREAKFIX_OIDC_ISSUER: z
    .string()
    .url("must be the issuer's URL, e.g. https://idp.example.edu/realms/school")
    .refine((u) => {
      const url = new URL(u);
      return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
    }, "must be https:// (plain http only on a loopback address, for testing)")
    .optional(),
  BREAKFIX_OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
  BREAKFIX_OIDC_CLIENT_SECRET: z.string().min(1).max(500).optional(),
  /** Exams: task clusters prepared at once, over every attempt (kind clusters are heavy). */
  BREAKFIX_EXAM_PROVISION_CONCURRENCY: z.coerce.number().int().min(1).max(10).default(2),
  /** Exams: every timed attempt lasts this many seconds instead of its blueprint's minutes (tests, demos). */
  BREAKFIX_EXAM_DURATION_SECONDS: z.coerce.number().int().min(10).max(86_400).optional(),
});

export type DriverChoice = (typeof DRIVERS)[number];

export interface KindConfig {
  poolSize: number;
  poolWorkers: number;
  /** Undefined means the pinned image. */
  nodeImage: string | undefined;
  gcIntervalMs: number;
}

export interface SimConfig {
  processModel: "per-cluster" | "shared-host";
  keyAlgorithm: "rsa-2048" | "ecdsa-p256";
}

export interface ExamConfig {
  provisionConcurrency: number;
  /** Undefined means each blueprint's own minutes. */
  durationOverrideSeconds: number | undefined;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The issuer is plain http on a loopback address (tests, a local IdP): openid-client must be told. */
  insecureLoopback: boolean;
}

export interface Config {
  nodeEnv: "development" | "production" | "test";
  host: string;
  port: number;
  /** Absolute path of the data directory (database, recordings, sim clusters). */
  dataDir: string;
  databaseUrl: string;
  driver: DriverChoice;
  mode: "local" | "shared";
  secret: string | undefined;
  origin: string;
  /** Extra Host header values accepted (BREAKFIX_ALLOWED_HOSTS), lower-cased. */
  allowedHosts: string[];
  logLevel: string;
  /** kind driver settings (BREAKFIX_KIND_*). */
  kind: KindConfig;
  /** Absolute path of the ssh driver's cluster list (BREAKFIX_SSH_CLUSTERS). */
  sshClustersFile: string;
  /** sim driver settings (BREAKFIX_SIM_*). */
  sim: SimConfig;
  /** Exam settings (BREAKFIX_EXAM_*). */
  exams: ExamConfig;
  /**
   * Prepared labs kept per pack, by the driver new labs use (BREAKFIX_LAB_POOL_SIZE). A sim cluster
   * is cheap, so the sim keeps one by default; kind and ssh clusters cost a machine's worth of
   * resources (or a trainer's VM), so they are pooled only when asked.
   */
  labPoolSize: { sim: number; kind: number; ssh: number };
  /** BREAKFIX_MAX_LIVE_LABS_PER_USER */
  maxLiveLabsPerUser: number;
  /** BREAKFIX_MAX_TERMINALS_PER_USER */
  maxTerminalsPerUser: number;
  /** OIDC sign-in (BREAKFIX_OIDC_*), or null when not configured. */
  oidc: OidcConfig | null;
  /**
   * Whether the development-only local terminal shell (bash in a temp dir) may run: never in
   * shared mode; in production only with BREAKFIX_DEV_SHELL=1; otherwise unless BREAKFIX_DEV_SHELL=0.
   */
  devShell: boolean;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parses an env record. Throws ConfigError with one line naming the first bad variable. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "env");
    const got = env[name];
    throw new ConfigError(
      `Invalid environment variable ${name}: ${issue.message}${got === undefined ? "" : ` (got ${JSON.stringify(got)})`}`,
    );
  }
  const e = parsed.data;
  const oidcVars = ["BREAKFIX_OIDC_ISSUER", "BREAKFIX_OIDC_CLIENT_ID", "BREAKFIX_OIDC_CLIENT_SECRET"] as const;
  const oidcSet = oidcVars.filter((v) => e[v] !== undefined);
  if (oidcSet.length > 0 && oidcSet.length < oidcVars.length) {
    const missing = oidcVars.find((v) => e[v] === undefined)!;
    throw new ConfigError(`Invalid environment variable ${missing}: is required when ${oidcSet.join(" and ")} ${oidcSet.length === 1 ? "is" : "are"} set (OIDC needs all three)`);
  }
  const dataDir = path.resolve(cwd, e.BREAKFIX_DATA_DIR);
  const displayHost = e.HOST === "0.0.0.0" || e.HOST === "::" ? "127.0.0.1" : e.HOST;
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `file:${path.join(dataDir, "breakfix.db")}`,
    driver: e.BREAKFIX_DRIVER,
    mode: e.BREAKFIX_MODE,
    secret: e.BREAKFIX_SECRET,
    origin: e.BREAKFIX_ORIGIN ?? `http://${displayHost}:${e.PORT}`,
    allowedHosts: (e.BREAKFIX_ALLOWED_HOSTS ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    logLevel: e.LOG_LEVEL,
    kind: {
      poolSize: e.BREAKFIX_KIND_POOL_SIZE,
      poolWorkers: e.BREAKFIX_KIND_POOL_WORKERS,
      nodeImage: e.BREAKFIX_KIND_NODE_IMAGE,
      gcIntervalMs: e.BREAKFIX_KIND_GC_INTERVAL_SECONDS * 1000,
    },
    sshClustersFile: path.resolve(cwd, e.BREAKFIX_SSH_CLUSTERS ?? path.join(e.BREAKFIX_DATA_DIR, "ssh-clusters.yaml")),
    sim: {
      processModel: e.BREAKFIX_SIM_PROCESS_MODEL,
      keyAlgorithm: e.BREAKFIX_SIM_KEY_ALGORITHM === "ecdsa" ? "ecdsa-p256" : "rsa-2048",
    },
    maxLiveLabsPerUser: e.BREAKFIX_MAX_LIVE_LABS_PER_USER,
    maxTerminalsPerUser: e.BREAKFIX_MAX_TERMINALS_PER_USER,
    oidc:
      e.BREAKFIX_OIDC_ISSUER && e.BREAKFIX_OIDC_CLIENT_ID && e.BREAKFIX_OIDC_CLIENT_SECRET
        ? {
            issuer: e.BREAKFIX_OIDC_ISSUER,
            clientId: e.BREAKFIX_OIDC_CLIENT_ID,
            clientSecret: e.BREAKFIX_OIDC_CLIENT_SECRET,
            insecureLoopback: new URL(e.BREAKFIX_OIDC_ISSUER).protocol === "http:",
          }
        : null,
    labPoolSize:
      e.BREAKFIX_LAB_POOL_SIZE === undefined
        ? { sim: 1, kind: 0, ssh: 0 }
        : { sim: e.BREAKFIX_LAB_POOL_SIZE, kind: e.BREAKFIX_LAB_POOL_SIZE, ssh: e.BREAKFIX_LAB_POOL_SIZE },
    exams: {
      provisionConcurrency: e.BREAKFIX_EXAM_PROVISION_CONCURRENCY,
      durationOverrideSeconds: e.BREAKFIX_EXAM_DURATION_SECONDS,
    },
    devShell:
      e.BREAKFIX_MODE !== "shared" && (e.NODE_ENV === "production" ? e.BREAKFIX_DEV_SHELL === "1" : e.BREAKFIX_DEV_SHELL !== "0"),
  };
}

let cached: Config | undefined;

/** The process's config, parsed once. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
