/** Where a command writes; tests pass collectors. */
export type Io = { stdout: (s: string) => void; stderr: (s: string) => void };
export const processIo: Io = {
  stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
  stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
};
