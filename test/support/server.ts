import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../src/http/server.js';
import type { ServiceContext } from '../../src/platform/context.js';
import type { Role } from '../../src/platform/auth/roles.js';
import { systemCaller } from '../../src/platform/auth/caller.js';
import { createApiToken } from '../../src/users/tokens.service.js';
import { insertUser } from '../../src/users/users.service.js';
import { writeTransaction } from '../../src/platform/database/transaction.js';

export interface TestServer {
  app: FastifyInstance;
  /** Sends a request with a bearer token for a user holding the given role. */
  as(role: Role): RequestSender;
  anonymous: RequestSender;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** A raw body: text, bytes, or a stream for uploads. */
  payload?: string | Buffer | NodeJS.ReadableStream;
}

export type RequestSender = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, options?: RequestOptions) => Promise<LightMyRequestResponse>;

const fakeHash = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';

/** Builds the real server over a test context and issues one API token per role on demand. */
export async function startTestServer(ctx: ServiceContext): Promise<TestServer> {
  const app = await buildServer(ctx);
  await app.ready();
  const tokens = new Map<Role, string>();

  const tokenFor = async (role: Role): Promise<string> => {
    const existing = tokens.get(role);
    if (existing) return existing;
    const username = role.replace(/_/g, '-');
    await writeTransaction(ctx.database, (trx) => insertUser(trx, systemCaller, ctx.clock.now(), { username, roles: [role] }, fakeHash));
    const issued = await createApiToken(ctx, systemCaller, { username, role });
    tokens.set(role, issued.token);
    return issued.token;
  };

  const sender = (token: () => Promise<string | null>): RequestSender => async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const bearer = await token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    return app.inject({
      method,
      url,
      headers,
      ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
      ...(options.payload !== undefined ? { payload: options.payload } : {}),
    });
  };

  return {
    app,
    as: (role) => sender(() => tokenFor(role)),
    anonymous: sender(async () => null),
  };
}
