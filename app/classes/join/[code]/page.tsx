import { JoinClassButton } from "@/components/classes/join-class-button";
import { pageUser } from "../../../_lib/page-user";

export const dynamic = "force-dynamic";

export default async function JoinClassPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const user = await pageUser();
  return (
    <div className="mx-auto max-w-xl flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Join a class</h1>
      <p className="text-slate-300">
        You are signed in as <strong>{user.name}</strong>. Joining lets the class&apos;s instructor see your labs and results for what they assign, and
        who is in which lab while the class runs.
      </p>
      <JoinClassButton code={code} />
    </div>
  );
}
