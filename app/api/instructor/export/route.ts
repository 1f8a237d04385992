import { getCurrentUser } from "@/lib/auth/current-user";
import { getConfig } from "@/lib/config";
import { handleExport } from "@/lib/instructor/handle-export";
import { services } from "@/lib/server/services";

export const dynamic = "force-dynamic";

// GET /api/instructor/export?table=packs|attempts[&pack=slug] – CSV download, instructors only
export async function GET(req: Request): Promise<Response> {
  return handleExport(req, { currentUser: getCurrentUser, instructor: services().instructor, config: getConfig() });
}
