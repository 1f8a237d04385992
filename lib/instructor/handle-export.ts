import type { CurrentUser } from "@/lib/auth/current-user";
import { requireInstructor } from "@/lib/auth/require-instructor";
import type { Config } from "@/lib/config";
import { BreakfixError, InputError, toHttp } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { exportCsv, exportQuerySchema } from "./export-csv";
import type { InstructorDeps } from "./instructor-deps";

export interface ExportHandlerDeps {
  currentUser(request: Request): Promise<CurrentUser>;
  instructor: InstructorDeps;
  config: Pick<Config, "mode">;
}

/**
 * `GET /api/instructor/export?table=packs|attempts[&pack=slug]`: the CSV as a download, for
 * instructors only (403 otherwise). The query is checked before anything is read.
 */
export async function handleExport(request: Request, deps: ExportHandlerDeps): Promise<Response> {
  try {
    const user = await deps.currentUser(request);
    requireInstructor(user);
    const parsed = exportQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new InputError(`${i.path.map(String).join(".") || "query"}: ${i.message}`, { hint: "Use ?table=packs or ?table=attempts, optionally with &pack=<slug>." });
    }
    const { filename, body } = await exportCsv(deps.instructor, parsed.data, user);
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (err) {
    if (!(err instanceof BreakfixError)) logger.error({ err, url: request.url }, "instructor export failed");
    const { status, body } = toHttp(err);
    return Response.json(body, { status });
  }
}
