import type { DriverSelfTest } from "@/lib/instructor/last-self-tests";

/** A pack's last self-test per driver: pass/fail, variants passed, and when. */
export function SelfTestBadges({ tests }: { tests: DriverSelfTest[] }) {
  if (!tests.length)
    return (
      <span className="text-slate-500" data-testid="self-test-none">
        never recorded
      </span>
    );
  return (
    <ul className="flex flex-col gap-1">
      {tests.map((t) => (
        <li key={t.driver} data-testid={`self-test-${t.driver}`} data-ok={t.ok} className="whitespace-nowrap">
          <span className={t.ok ? "text-emerald-300" : "text-rose-300"}>
            {t.driver} {t.ok ? "✓ pass" : "✕ fail"}
          </span>{" "}
          <span className="text-slate-400">
            {t.passed}/{t.variants} · <time dateTime={t.at.toISOString()}>{t.at.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
          </span>
          {t.failing.map((f) => (
            <div key={f.variant} className="text-xs text-rose-300/80 whitespace-normal">
              {f.variant}: {f.error ?? "failed"}
            </div>
          ))}
          {t.untested.length > 0 && <div className="text-xs text-slate-500">not run: {t.untested.join(", ")}</div>}
        </li>
      ))}
    </ul>
  );
}
