/** What a learner sees on an instructor page: what it is and why it is closed to them. */
export function NotInstructor() {
  return (
    <div role="alert" data-testid="not-instructor" className="mx-auto max-w-xl rounded border border-slate-700 bg-slate-900 px-4 py-3 text-sm">
      <p className="font-medium">This page is for instructors.</p>
      <p className="text-slate-400 mt-1">It shows learners&apos; results and the packs&apos; solutions. Ask an admin of this server for the instructor role.</p>
    </div>
  );
}
