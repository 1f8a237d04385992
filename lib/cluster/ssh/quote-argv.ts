/**
 * POSIX single-quoting for the one place where argv must become a string: ssh sends the remote
 * command to the user's login shell as text. Inside '…' every byte is literal except ' itself,
 * which is closed, escaped and reopened ('\''), so spaces, $, ;, globs, backslashes and newlines
 * reach the remote program unchanged. The remote login shell must be POSIX (sh, bash, dash, zsh).
 */
export function quoteArg(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Each element quoted, joined with spaces: one remote command line equal to argv. */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error("quoteArgv needs at least one argument (the program)");
  return argv.map(quoteArg).join(" ");
}
