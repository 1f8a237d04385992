import type { CurrentUser } from "@/lib/auth/current-user";
import { isInstructor } from "@/lib/auth/require-instructor";
import { pageUser } from "../../_lib/page-user";

/** The current user of an instructor page, or null when they are not an instructor (the page then says so). */
export async function instructorPageUser(): Promise<CurrentUser | null> {
  const user = await pageUser();
  return isInstructor(user) ? user : null;
}
