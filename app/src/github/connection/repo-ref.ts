/** A repository as GitHub's REST paths want it. */
export interface RepoRef {
  owner: string;
  repo: string;
}

export function repoFromFullName(fullName: string): RepoRef | undefined {
  const [owner, repo, extra] = fullName.split('/');
  if (!owner || !repo || extra !== undefined) return undefined;
  return { owner, repo };
}

export function fullName(r: RepoRef): string {
  return `${r.owner}/${r.repo}`;
}

/** GitHub treats owner and repository names case-insensitively. */
export function sameRepo(a: RepoRef, b: RepoRef): boolean {
  return fullName(a).toLowerCase() === fullName(b).toLowerCase();
}
