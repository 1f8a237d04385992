import { headers } from "next/headers";
import Link from "next/link";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isInstructor } from "@/lib/auth/require-instructor";

/** "Instructor" in the nav, for instructors only. Nobody signed in (shared mode) sees nothing, not an error. */
export async function InstructorNavLink() {
  // Outside the try: during a static render this is how Next learns the page is dynamic.
  const h = await headers();
  let show = false;
  try {
    show = isInstructor(await getCurrentUser(new Request("http://breakfix.invalid/", { headers: h })));
  } catch {
    show = false;
  }
  if (!show) return null;
  return (
    <Link href="/instructor" className="hover:text-slate-100" data-testid="nav-instructor">
      Instructor
    </Link>
  );
}
