/**
 * A container image reference as Docker and ECS read it: `[registry/]repository[:tag][@digest]`.
 * The registry is the first path component when it looks like a host (has a dot or a port, or is
 * `localhost`); otherwise the reference is Docker Hub's.
 */
export interface ImageRef {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const HOST = /^(?:localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|[A-Za-z0-9-]+:\d+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+:\d+)$/;

/** Parses a reference; undefined when it is not one Docker would accept. */
export function parseImageRef(uri: string): ImageRef | undefined {
  if (uri.length > 512 || /\s/.test(uri)) return undefined;
  let rest = uri;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && HOST.test(first) && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first.toLowerCase() : 'docker.io';
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (!PATH.test(path)) return undefined;
  const repository = !hasRegistry && !path.includes('/') ? `library/${path}` : path;
  return { registry, repository, ...(tag !== undefined && { tag }), ...(digest && { digest }) };
}

/** The registry and repository of an ECR repository URI (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
export function sameRepository(ref: ImageRef, repositoryUri: string): boolean {
  const ours = parseImageRef(repositoryUri);
  return !!ours && ours.registry === ref.registry && ours.repository === ref.repository;
}
