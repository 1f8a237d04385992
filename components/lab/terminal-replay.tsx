import type { RecordingView } from "@/lib/labs/lab-results";
import { RecordingPlayer } from "./recording-player";

/** Every terminal recorded on a lab's cluster, each with its player; shared by the lab's and the exam's results. */
export function TerminalReplay({
  recordings,
  title = "Terminal replay",
  headingLevel = 2,
  base,
}: {
  recordings: RecordingView[];
  title?: string;
  headingLevel?: 2 | 3;
  /** The route serving the recordings (RecordingPlayer's default: the owner's). */
  base?: string;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section aria-label="Terminal recordings" data-testid="terminal-replay" className="flex flex-col gap-3">
      <Heading className="font-semibold">{title}</Heading>
      {recordings.length === 0 ? (
        <p className="text-sm text-slate-400">No terminal was opened in this lab.</p>
      ) : (
        recordings.map((rec) => <RecordingPlayer key={rec.id} recordingId={rec.id} node={rec.node} startedAt={rec.startedAt} base={base} />)
      )}
    </section>
  );
}
