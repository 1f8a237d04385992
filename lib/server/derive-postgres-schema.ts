/**
 * prisma/postgresql/schema.prisma from prisma/schema.prisma: the same models with the postgresql
 * provider, generating a second client into lib/generated/prisma-pg.
 *
 * Why a second client: Prisma 7 compiles queries with a provider-specific query compiler chosen
 * when the client is generated, and the client refuses a driver adapter of another provider
 * ("The Driver Adapter `@prisma/adapter-pg`, based on `postgres`, is not compatible with the
 * provider `sqlite` specified in the Prisma schema."). The models are kept portable (DESIGN.md,
 * "Data"), so the only differences are the provider and the output folder; deriving the file
 * (npm run db:pg-schema) rather than editing it keeps the two from drifting, and a test fails when
 * the committed file is not what this function makes of the SQLite schema.
 */
export function derivePostgresSchema(sqliteSchema: string): string {
  const provider = /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
  const output = /(generator\s+client\s*\{[^}]*?output\s*=\s*)"\.\.\/lib\/generated\/prisma"/;
  if (!provider.test(sqliteSchema)) throw new Error('prisma/schema.prisma: expected `provider = "sqlite"` in `datasource db`');
  if (!output.test(sqliteSchema)) throw new Error('prisma/schema.prisma: expected `output = "../lib/generated/prisma"` in `generator client`');
  const body = sqliteSchema.replace(provider, '$1"postgresql"').replace(output, '$1"../../lib/generated/prisma-pg"');
  return `// GENERATED from prisma/schema.prisma by \`npm run db:pg-schema\`; edit that file, not this one.\n${body}`;
}
