// The long-lived collaborators resolvers need beyond the database: built once in buildApp and handed
// to every request's context.
import type { LoginThrottle } from './auth/login-throttle.ts';

export interface Services {
  sessions: { ttlSeconds: number; secureCookie: boolean };
  loginThrottle: LoginThrottle;
}
