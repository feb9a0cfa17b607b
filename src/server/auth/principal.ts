/** Who made a request, and how they are named in the audit log. */
import { userInfo } from 'node:os';
import type { Role } from './roles.js';

export interface Principal {
  /** A dashboard session (cookie), or a bearer token (an API token or the deprecated server.apiToken). */
  kind: 'session' | 'token';
  name: string;
  role: Role;
  /** Set for sessions: the state-changing requests of a session must carry its CSRF token. */
  session?: { idHash: string; csrfToken: string; userId: string };
}

export function actorOf(p: Principal): string {
  return `${p.kind === 'session' ? 'user' : 'token'}:${p.name}`;
}

/** The person at the terminal, for actions taken with the CLI (`cli:<os user>`). */
export function cliActor(env: Record<string, string | undefined> = process.env): string {
  let name = '';
  try {
    name = userInfo().username;
  } catch {
    name = env.USER ?? env.LOGNAME ?? '';
  }
  return `cli:${name || 'unknown'}`;
}
