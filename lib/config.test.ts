import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

describe("parseConfig", () => {
  it("defaults to 127.0.0.1:3000, a .data dir, SQLite and driver auto", () => {
    const c = parseConfig({}, "/srv/app");
    expect(c.host).toBe("127.0.0.1");
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe("/srv/app/.data");
    expect(c.databaseUrl).toBe("file:/srv/app/.data/breakfix.db");
    expect(c.driver).toBe("auto");
    expect(c.mode).toBe("local");
    expect(c.origin).toBe("http://127.0.0.1:3000");
  });

  it("takes HOST, PORT and the data dir from env", () => {
    const c = parseConfig({ HOST: "0.0.0.0", PORT: "8080", BREAKFIX_DATA_DIR: "/var/lib/breakfix" }, "/x");
    expect(c.host).toBe("0.0.0.0");
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBe("file:/var/lib/breakfix/breakfix.db");
  });

  it("fails with one line naming the bad variable and its value", () => {
    expect(() => parseConfig({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: "eighty" })).toThrow(/^Invalid environment variable PORT: .*\(got "eighty"\)$/);
    expect(() => parseConfig({ BREAKFIX_DRIVER: "docker" })).toThrow(/BREAKFIX_DRIVER/);
    expect(() => parseConfig({ BREAKFIX_SECRET: "short" })).toThrow(/BREAKFIX_SECRET: must be at least 32/);
  });

  it("accounts: six terminals per user by default; OIDC needs issuer, client id and secret together, over https", () => {
    expect(parseConfig({}).maxTerminalsPerUser).toBe(6);
    expect(parseConfig({ BREAKFIX_MAX_TERMINALS_PER_USER: "2" }).maxTerminalsPerUser).toBe(2);
    expect(() => parseConfig({ BREAKFIX_MAX_TERMINALS_PER_USER: "0" })).toThrow(/BREAKFIX_MAX_TERMINALS_PER_USER: must be/);
    expect(parseConfig({}).oidc).toBeNull();
    const oidc = { BREAKFIX_OIDC_ISSUER: "https://idp.example.edu/realms/school", BREAKFIX_OIDC_CLIENT_ID: "breakfix", BREAKFIX_OIDC_CLIENT_SECRET: "s3cret" };
    expect(parseConfig(oidc).oidc).toEqual({ issuer: oidc.BREAKFIX_OIDC_ISSUER, clientId: "breakfix", clientSecret: "s3cret", insecureLoopback: false });
    expect(parseConfig({ ...oidc, BREAKFIX_OIDC_ISSUER: "http://127.0.0.1:9000" }).oidc?.insecureLoopback).toBe(true);
    expect(() => parseConfig({ ...oidc, BREAKFIX_OIDC_ISSUER: "http://idp.example.edu" })).toThrow(/BREAKFIX_OIDC_ISSUER: must be https:\/\//);
    expect(() => parseConfig({ BREAKFIX_OIDC_ISSUER: oidc.BREAKFIX_OIDC_ISSUER })).toThrow(
      "Invalid environment variable BREAKFIX_OIDC_CLIENT_ID: is required when BREAKFIX_OIDC_ISSUER is set (OIDC needs all three)",
    );
  });

  it("sim driver: per-cluster processes and RSA keys by default; shared-host and ECDSA on request; bad values named", () => {
    expect(parseConfig({}).sim).toEqual({ processModel: "per-cluster", keyAlgorithm: "rsa-2048" });
    expect(parseConfig({ BREAKFIX_SIM_PROCESS_MODEL: "shared-host", BREAKFIX_SIM_KEY_ALGORITHM: "ecdsa" }).sim).toEqual({ processModel: "shared-host", keyAlgorithm: "ecdsa-p256" });
    expect(() => parseConfig({ BREAKFIX_SIM_KEY_ALGORITHM: "ed25519" })).toThrow(/^Invalid environment variable BREAKFIX_SIM_KEY_ALGORITHM: .*\(got "ed25519"\)$/);
    expect(() => parseConfig({ BREAKFIX_SIM_PROCESS_MODEL: "threads" })).toThrow(/BREAKFIX_SIM_PROCESS_MODEL/);
  });

  it("lab pool: one prepared lab per pack on sim and none on kind or ssh by default; one size for every driver when set", () => {
    expect(parseConfig({}).labPoolSize).toEqual({ sim: 1, kind: 0, ssh: 0 });
    expect(parseConfig({ BREAKFIX_LAB_POOL_SIZE: "0" }).labPoolSize).toEqual({ sim: 0, kind: 0, ssh: 0 });
    expect(parseConfig({ BREAKFIX_LAB_POOL_SIZE: "2" }).labPoolSize).toEqual({ sim: 2, kind: 2, ssh: 2 });
    expect(() => parseConfig({ BREAKFIX_LAB_POOL_SIZE: "many" })).toThrow(/^Invalid environment variable BREAKFIX_LAB_POOL_SIZE: .*\(got "many"\)$/);
    expect(() => parseConfig({ BREAKFIX_LAB_POOL_SIZE: "9" })).toThrow(/BREAKFIX_LAB_POOL_SIZE/);
    expect(() => parseConfig({ BREAKFIX_LAB_POOL_SIZE: "-1" })).toThrow(/BREAKFIX_LAB_POOL_SIZE/);
  });

  it("exams: two task clusters at once and the blueprints' own durations by default; bad values named", () => {
    expect(parseConfig({}).exams).toEqual({ provisionConcurrency: 2, durationOverrideSeconds: undefined });
    expect(parseConfig({ BREAKFIX_EXAM_PROVISION_CONCURRENCY: "1", BREAKFIX_EXAM_DURATION_SECONDS: "90" }).exams).toEqual({
      provisionConcurrency: 1,
      durationOverrideSeconds: 90,
    });
    expect(() => parseConfig({ BREAKFIX_EXAM_PROVISION_CONCURRENCY: "0" })).toThrow(/^Invalid environment variable BREAKFIX_EXAM_PROVISION_CONCURRENCY: .*\(got "0"\)$/);
    expect(() => parseConfig({ BREAKFIX_EXAM_DURATION_SECONDS: "5" })).toThrow(/BREAKFIX_EXAM_DURATION_SECONDS/);
  });
});
