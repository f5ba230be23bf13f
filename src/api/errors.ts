// API errors: a gRPC status code and a message that names the field (in the
// config's path vocabulary, `ports.vm1.vlan`).  ConfigError problems become
// INVALID_ARGUMENT; they are also sent as JSON in the trailing metadata key
// `hvswitch-problems` for clients that want them one by one.
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

import { ConfigError } from '../controller/index.js';

export class ApiError extends Error {
  constructor(readonly code: status, message: string, readonly problems: { path: string; message: string }[] = []) {
    super(message);
  }
}

export const invalid = (path: string, message: string) => new ApiError(status.INVALID_ARGUMENT, `${path}: ${message}`, [{ path, message }]);
export const notFound = (message: string) => new ApiError(status.NOT_FOUND, message);

export function toServiceError(e: unknown): Partial<ServiceError> {
  const metadata = new Metadata();
  if (e instanceof ConfigError) {
    metadata.set('hvswitch-problems', JSON.stringify(e.problems));
    return { code: status.INVALID_ARGUMENT, details: e.problems.map((p) => `${p.path}: ${p.message}`).join('; '), metadata };
  }
  if (e instanceof ApiError) {
    if (e.problems.length) metadata.set('hvswitch-problems', JSON.stringify(e.problems));
    return { code: e.code, details: e.message, metadata };
  }
  // The validator accepted the request but the dataplane could not do it
  // (an af-packet interface that does not exist, a TAP we may not create).
  return { code: status.FAILED_PRECONDITION, details: `not applied: ${(e as Error).message ?? String(e)}`, metadata };
}
