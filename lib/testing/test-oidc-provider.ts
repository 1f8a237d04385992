import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair } from "jose";

export interface TestIdentity {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  identity: TestIdentity;
}

/**
 * A small but real OpenID provider on a loopback port, for tests: discovery, an authorization
 * endpoint that signs in `identity` at once (no login page), a token endpoint that checks the
 * client secret, the code (single use), the redirect URI and the PKCE verifier, and ID tokens
 * signed with RS256 by a key published at its JWKS endpoint.
 */
export class TestOidcProvider {
  /** Who the next authorization signs in as. */
  identity: TestIdentity = { sub: "user-1", email: "one@idp.example.test", email_verified: true, name: "One" };
  /** Sign ID tokens with a key the JWKS does not publish (a forged token). */
  forgeNextToken = false;
  readonly tokenRequests: URLSearchParams[] = [];
  private readonly codes = new Map<string, Grant>();

  private constructor(
    readonly issuer: string,
    private readonly server: Server,
    readonly clientId: string,
    readonly clientSecret: string,
    private readonly keys: { kid: string; privateKey: CryptoKey; publicJwk: Record<string, unknown>; forger: CryptoKey },
  ) {}

  static async start(opts: { clientId?: string; clientSecret?: string } = {}): Promise<TestOidcProvider> {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const forger = (await generateKeyPair("RS256")).privateKey;
    const kid = randomBytes(6).toString("hex");
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
    // The handler needs the provider, which needs the server's port: resolved through a holder.
    const holder: { provider?: TestOidcProvider } = {};
    const server = createServer((req, res) => {
      holder.provider!.handle(req).then(
        (r) => res.writeHead(r.status, r.headers).end(r.body),
        (err: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(String(err)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    holder.provider = new TestOidcProvider(issuer, server, opts.clientId ?? "breakfix-test", opts.clientSecret ?? "test-client-secret", { kid, privateKey, publicJwk, forger });
    return holder.provider;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const url = new URL(req.url ?? "/", this.issuer);
    const json = (status: number, body: unknown) => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (url.pathname === "/.well-known/openid-configuration") {
      return json(200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/authorize`,
        token_endpoint: `${this.issuer}/token`,
        jwks_uri: `${this.issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
        scopes_supported: ["openid", "email", "profile"],
      });
    }
    if (url.pathname === "/jwks") return json(200, { keys: [this.keys.publicJwk] });
    if (url.pathname === "/authorize") {
      const p = url.searchParams;
      const redirectUri = p.get("redirect_uri");
      if (p.get("client_id") !== this.clientId || !redirectUri) return json(400, { error: "invalid_request" });
      if (p.get("response_type") !== "code" || p.get("code_challenge_method") !== "S256" || !p.get("code_challenge") || !p.get("scope")?.split(" ").includes("openid")) {
        return json(400, { error: "invalid_request" });
      }
      const code = randomBytes(16).toString("base64url");
      this.codes.set(code, { clientId: this.clientId, redirectUri, challenge: p.get("code_challenge")!, nonce: p.get("nonce") ?? undefined, identity: { ...this.identity } });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      if (p.get("state") !== null) back.searchParams.set("state", p.get("state")!);
      return { status: 302, headers: { location: back.href }, body: "" };
    }
    if (url.pathname === "/token" && req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      this.tokenRequests.push(form);
      let id = form.get("client_id");
      let secret = form.get("client_secret");
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "");
      if (basic) [id, secret] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":").map(decodeURIComponent) as [string, string];
      if (id !== this.clientId || secret !== this.clientSecret) return json(401, { error: "invalid_client" });
      const code = form.get("code") ?? "";
      const grant = this.codes.get(code);
      this.codes.delete(code); // single use
      if (!grant || form.get("grant_type") !== "authorization_code" || form.get("redirect_uri") !== grant.redirectUri) return json(400, { error: "invalid_grant" });
      const challenge = createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url");
      if (challenge !== grant.challenge) return json(400, { error: "invalid_grant", error_description: "PKCE verification failed" });
      const forged = this.forgeNextToken;
      this.forgeNextToken = false;
      const idToken = await new SignJWT({ ...grant.identity, ...(grant.nonce ? { nonce: grant.nonce } : {}) })
        .setProtectedHeader({ alg: "RS256", kid: this.keys.kid })
        .setIssuer(this.issuer)
        .setAudience(this.clientId)
        .setSubject(grant.identity.sub)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(forged ? this.keys.forger : this.keys.privateKey);
      return json(200, { access_token: randomBytes(16).toString("base64url"), token_type: "Bearer", expires_in: 300, id_token: idToken, scope: "openid email profile" });
    }
    return json(404, { error: "not_found" });
  }
}
