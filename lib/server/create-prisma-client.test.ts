import { describe, expect, it } from "vitest";
import { createPrismaClient } from "./create-prisma-client";

describe("createPrismaClient", () => {
  it("refuses a URL that is neither SQLite nor PostgreSQL, naming only its scheme", () => {
    expect(() => createPrismaClient("mysql://root:secret@db/breakfix")).toThrow('Unsupported DATABASE_URL "mysql": use file: (SQLite) or postgresql:// (PostgreSQL).');
  });

  it("builds a client for postgres:// and postgresql:// URLs without connecting yet", async () => {
    for (const url of ["postgres://u:p@127.0.0.1:1/none", "postgresql://u:p@127.0.0.1:1/none"]) {
      const client = createPrismaClient(url);
      // Port 1 refuses: the PostgreSQL adapter tried to reach the server the URL names.
      await expect(client.user.count()).rejects.toMatchObject({ code: "P1001", meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable", port: 1 } } } });
      await client.$disconnect();
    }
  });
});
