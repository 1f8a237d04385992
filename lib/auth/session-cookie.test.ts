import { describe, expect, it } from "vitest";
import { cookieHeader, readCookie } from "./session-cookie";

describe("session cookies", () => {
  it("are Secure when the public origin is https (behind a TLS proxy), and not on plain http", () => {
    expect(cookieHeader("breakfix_session", "t", { origin: "https://labs.example.edu" }, { maxAgeSeconds: 60 })).toBe(
      "breakfix_session=t; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure",
    );
    expect(cookieHeader("breakfix_session", "t", { origin: "http://127.0.0.1:3000" }, { maxAgeSeconds: 60 })).not.toContain("Secure");
  });

  it("reads one cookie among others, and nothing from a malformed or oversized header", () => {
    const req = (cookie: string) => new Request("http://x/", { headers: { cookie } });
    expect(readCookie(req("a=1; breakfix_session=tok; b=2"), "breakfix_session")).toBe("tok");
    expect(readCookie(req("xbreakfix_session=tok"), "breakfix_session")).toBeNull();
    expect(readCookie(req("garbage;;=;"), "breakfix_session")).toBeNull();
    expect(readCookie(req(`breakfix_session=${"x".repeat(9000)}`), "breakfix_session")).toBeNull();
  });
});
