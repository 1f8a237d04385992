import { headers } from "next/headers";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";

/** The current user for a server component (which has headers, not a Request). */
export async function pageUser(): Promise<CurrentUser> {
  return getCurrentUser(new Request("http://breakfix.invalid/", { headers: await headers() }));
}
