// Who an audit entry names, from the verified principal of a request and the request itself.
import type { Principal } from '../principal/index.js';
import type { AuditActor, AuditRecordInput } from './entry.js';

export function actorOf(principal: Principal): AuditActor {
  return principal.kind === 'apiKey'
    ? { type: 'apiKey', id: principal.apiKeyId, userId: principal.userId }
    : { type: 'user', id: principal.userId };
}

/** Actor, request id and client address of a request, to spread into AuditLog.record's input. */
export function requestAudit(
  request: { id: string | number; ip: string },
  principal: Principal | null,
): Pick<AuditRecordInput, 'actor' | 'requestId' | 'clientIp'> {
  return {
    actor: principal ? actorOf(principal) : { type: 'anonymous', id: null },
    requestId: String(request.id),
    clientIp: request.ip,
  };
}
