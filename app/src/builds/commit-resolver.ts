/**
 * Branch → head commit, the first step of "build once, deploy many": everything downstream
 * (image tag, build dedupe, deploy) keys on the full 40-character SHA, never on a branch name.
 * The GitHub front end implements it (Git refs API).
 */
export interface CommitResolver {
  /** Full SHA of the branch head; undefined for an unknown branch or when GitHub is not configured. */
  headCommit(branch: string): Promise<string | undefined>;
}
