/** The body of /version for the apiserver's gitVersion (e.g. v1.32.2). */
export function versionInfo(gitVersion: string): Record<string, string> {
  return {
    major: "1",
    minor: gitVersion.split(".")[1] ?? "32",
    gitVersion,
    gitCommit: "5d3f0a1d2cd8fa5a4b3d9e7c7e1f4b0d5a6c2e11",
    gitTreeState: "clean",
    buildDate: "2025-04-22T16:00:00Z",
    goVersion: "go1.23.8",
    compiler: "gc",
    platform: "linux/amd64",
  };
}
