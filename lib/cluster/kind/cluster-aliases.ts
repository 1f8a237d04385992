import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const schema = z.record(z.string(), z.string());

/**
 * Names under which a cluster was asked for. A lab asks for "bf-1234" but may get the warm
 * cluster "breakfix-pool-a1b2c3"; the lab layer keeps the name it asked for, so attach() and the
 * garbage collector's in-use check must find the cluster under that name too. Persisted as JSON
 * (alias → cluster) so it survives a server restart.
 */
export class ClusterAliases {
  constructor(private readonly file: string) {}

  private read(): Record<string, string> {
    try {
      const parsed = schema.safeParse(JSON.parse(fs.readFileSync(this.file, "utf8")));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  private write(map: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(map, null, 2));
    fs.renameSync(tmp, this.file);
  }

  set(alias: string, cluster: string): void {
    this.write({ ...this.read(), [alias]: cluster });
  }

  resolve(alias: string): string | undefined {
    return this.read()[alias];
  }

  aliasesOf(cluster: string): string[] {
    return Object.entries(this.read())
      .filter(([, c]) => c === cluster)
      .map(([a]) => a);
  }

  forget(cluster: string): void {
    const map = this.read();
    const kept = Object.fromEntries(Object.entries(map).filter(([, c]) => c !== cluster));
    if (Object.keys(kept).length !== Object.keys(map).length) this.write(kept);
  }
}
