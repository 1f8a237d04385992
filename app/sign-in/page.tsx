import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { getConfig } from "@/lib/config";
import { optionalPageUser } from "../_lib/optional-page-user";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const next = safeNextPath(typeof sp.next === "string" ? sp.next : null);
  const config = getConfig();
  // Local mode has nobody to sign in; a signed-in visitor has nothing to do here.
  if (config.mode !== "shared" || (await optionalPageUser())) redirect(next);
  return (
    <div className="mx-auto max-w-sm flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <p className="text-sm text-slate-400">Your labs, exams and results are kept under your account.</p>
      <SignInForm next={next} oidc={config.oidc !== null} />
    </div>
  );
}
