import { notFound } from "next/navigation";
import { LabWorkspace } from "@/components/lab/lab-workspace";
import { NotFoundError } from "@/lib/errors";
import { services } from "@/lib/server/services";
import { getLabView } from "@/lib/labs/lab-view";
import { touchLab } from "@/lib/labs/touch-lab";
import { pageUser } from "../../_lib/page-user";

export const dynamic = "force-dynamic";

export default async function LabPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await pageUser();
  const view = await getLabView(services().labs, id, user.id).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  await touchLab(services().labs, id);
  return <LabWorkspace initial={view} />;
}
