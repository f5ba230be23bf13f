// Original file: proto/hvswitch/v1/bgp.proto

/**
 * RFC 4271 §8 session states (GoBGP numbers them the same way).
 */
export const SessionState = {
  SESSION_STATE_UNSPECIFIED: 'SESSION_STATE_UNSPECIFIED',
  SESSION_STATE_IDLE: 'SESSION_STATE_IDLE',
  SESSION_STATE_CONNECT: 'SESSION_STATE_CONNECT',
  SESSION_STATE_ACTIVE: 'SESSION_STATE_ACTIVE',
  SESSION_STATE_OPENSENT: 'SESSION_STATE_OPENSENT',
  SESSION_STATE_OPENCONFIRM: 'SESSION_STATE_OPENCONFIRM',
  SESSION_STATE_ESTABLISHED: 'SESSION_STATE_ESTABLISHED',
} as const;

/**
 * RFC 4271 §8 session states (GoBGP numbers them the same way).
 */
export type SessionState =
  | 'SESSION_STATE_UNSPECIFIED'
  | 0
  | 'SESSION_STATE_IDLE'
  | 1
  | 'SESSION_STATE_CONNECT'
  | 2
  | 'SESSION_STATE_ACTIVE'
  | 3
  | 'SESSION_STATE_OPENSENT'
  | 4
  | 'SESSION_STATE_OPENCONFIRM'
  | 5
  | 'SESSION_STATE_ESTABLISHED'
  | 6

/**
 * RFC 4271 §8 session states (GoBGP numbers them the same way).
 */
export type SessionState__Output = typeof SessionState[keyof typeof SessionState]
