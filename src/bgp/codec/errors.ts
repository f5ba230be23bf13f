/**
 * Typed BGP decode errors.
 *
 * Every decode failure carries the NOTIFICATION code/subcode that RFC 4271 §6
 * assigns to it and the RFC 7606 §2 action the receiver must take. The codec
 * never logs and never decides: the peer/FSM reads `action` and either resets the
 * session (sending a NOTIFICATION built from code/subcode/data), treats the
 * UPDATE's NLRI as withdrawn, or drops the attribute.
 */

/** RFC 4271 §4.5 NOTIFICATION error codes. */
export const ErrorCode = {
  MessageHeader: 1,
  OpenMessage: 2,
  UpdateMessage: 3,
  HoldTimerExpired: 4,
  FsmError: 5,
  Cease: 6,
  RouteRefresh: 7,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** RFC 4271 §6.1 message header error subcodes. */
export const HeaderSubcode = { NotSynchronized: 1, BadLength: 2, BadType: 3 } as const;
/** RFC 4271 §6.2 OPEN error subcodes (+ RFC 5492 unsupported capability). */
export const OpenSubcode = {
  UnsupportedVersion: 1, BadPeerAs: 2, BadBgpId: 3, UnsupportedOptParam: 4, UnacceptableHoldTime: 6,
  UnsupportedCapability: 7,
} as const;
/** RFC 4271 §6.3 UPDATE error subcodes. */
export const UpdateSubcode = {
  MalformedAttributeList: 1, UnrecognizedWellKnown: 2, MissingWellKnown: 3, AttributeFlags: 4,
  AttributeLength: 5, InvalidOrigin: 6, InvalidNextHop: 8, OptionalAttribute: 9, InvalidNetwork: 10,
  MalformedAsPath: 11,
} as const;
/** RFC 4486 Cease subcodes. */
export const CeaseSubcode = {
  MaxPrefix: 1, AdminShutdown: 2, PeerDeconfigured: 3, AdminReset: 4, ConnectionRejected: 5,
  OtherConfigChange: 6, ConnectionCollision: 7, OutOfResources: 8, HardReset: 9,
} as const;

/**
 * RFC 7606 §2 approaches, ordered weakest → strongest so that "the strongest
 * action wins" (§3(h)) is a numeric max.
 */
export const ErrorAction = {
  AttributeDiscard: 1,
  TreatAsWithdraw: 2,
  AfiSafiDisable: 3,
  SessionReset: 4,
} as const;
export type ErrorAction = (typeof ErrorAction)[keyof typeof ErrorAction];
export const errorActionName: Record<ErrorAction, string> = {
  1: 'attribute-discard', 2: 'treat-as-withdraw', 3: 'afi-safi-disable', 4: 'session-reset',
};

export class BgpDecodeError extends Error {
  override readonly name = 'BgpDecodeError';
  constructor(
    readonly code: number,
    readonly subcode: number,
    readonly action: ErrorAction,
    message: string,
    /** NOTIFICATION data field (RFC 4271 §6: e.g. the offending attribute). */
    readonly data: Uint8Array = new Uint8Array(0),
  ) {
    super(message);
  }
  toJSON() {
    return { code: this.code, subcode: this.subcode, action: errorActionName[this.action], message: this.message };
  }
}

/** Shorthand for an UPDATE error with the given RFC 7606 action. */
export function updateError(subcode: number, action: ErrorAction, message: string, data?: Uint8Array): BgpDecodeError {
  return new BgpDecodeError(ErrorCode.UpdateMessage, subcode, action, message, data);
}

/** Malformed NLRI / framing inside an UPDATE: RFC 7606 §5.3 session reset. */
export function nlriError(message: string): BgpDecodeError {
  return new BgpDecodeError(ErrorCode.UpdateMessage, UpdateSubcode.InvalidNetwork, ErrorAction.SessionReset, message);
}
