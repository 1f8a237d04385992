import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ObjectStore } from "../../store/object-store";
import { RESOURCE_TYPES } from "../../store/resource-types";
import { authenticateServiceAccountToken, SERVICE_ACCOUNT_ISSUER, signServiceAccountToken } from "./service-account-token";

const pem = (k: ReturnType<typeof generateKeyPairSync>["privateKey"]) => String(k.export({ type: "pkcs1", format: "pem" }));
const key = pem(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey);

function setup() {
  const store = new ObjectStore(RESOURCE_TYPES);
  store.create("namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "ci" } });
  const sa = store.create("serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "bot", namespace: "ci" } });
  const now = 1_800_000_000;
  const token = signServiceAccountToken(key, {
    aud: [SERVICE_ACCOUNT_ISSUER],
    exp: now + 600,
    iat: now,
    nbf: now,
    iss: SERVICE_ACCOUNT_ISSUER,
    jti: "j",
    sub: "system:serviceaccount:ci:bot",
    "kubernetes.io": { namespace: "ci", serviceaccount: { name: "bot", uid: sa.metadata.uid ?? "" } },
  });
  return { store, token, at: (s: number) => new Date((now + s) * 1000) };
}

describe("authenticateServiceAccountToken", () => {
  it("authenticates a valid token as the ServiceAccount with its groups", () => {
    const { store, token, at } = setup();
    expect(authenticateServiceAccountToken(key, token, at(1), store)).toEqual({
      name: "system:serviceaccount:ci:bot",
      groups: ["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"],
    });
  });

  it("rejects an expired token", () => {
    const { store, token, at } = setup();
    expect(authenticateServiceAccountToken(key, token, at(600), store)).toBeNull();
  });

  it("rejects a token signed with another key", () => {
    const { store, token, at } = setup();
    const other = pem(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey);
    expect(authenticateServiceAccountToken(other, token, at(1), store)).toBeNull();
  });

  it("rejects a token whose ServiceAccount was deleted", () => {
    const { store, token, at } = setup();
    store.delete("serviceaccounts", "ci", "bot");
    expect(authenticateServiceAccountToken(key, token, at(1), store)).toBeNull();
  });
});
