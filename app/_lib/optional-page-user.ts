import { headers } from "next/headers";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { UnauthorizedError } from "@/lib/errors";

/** The signed-in user, or null: for pages and the layout that also show to visitors (/sign-in). */
export async function optionalPageUser(): Promise<CurrentUser | null> {
  try {
    return await getCurrentUser(new Request("http://breakfix.invalid/", { headers: await headers() }));
  } catch (err) {
    if (err instanceof UnauthorizedError) return null;
    throw err;
  }
}
