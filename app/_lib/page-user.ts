import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { UnauthorizedError } from "@/lib/errors";

/**
 * The current user for a server component (which has headers, not a Request). In shared mode a
 * visitor without a live session is sent to /sign-in, and back to `from` afterwards.
 */
export async function pageUser(from = "/"): Promise<CurrentUser> {
  try {
    return await getCurrentUser(new Request("http://breakfix.invalid/", { headers: await headers() }));
  } catch (err) {
    if (err instanceof UnauthorizedError) redirect(`/sign-in?next=${encodeURIComponent(from)}`);
    throw err;
  }
}
