// Original file: proto/hvswitch/v1/bgp.proto

import type { SessionState as _hvswitch_v1_SessionState, SessionState__Output as _hvswitch_v1_SessionState__Output } from '../../hvswitch/v1/SessionState.js';
import type { FsmEvent as _hvswitch_v1_FsmEvent, FsmEvent__Output as _hvswitch_v1_FsmEvent__Output } from '../../hvswitch/v1/FsmEvent.js';
import type { BgpFamily as _hvswitch_v1_BgpFamily, BgpFamily__Output as _hvswitch_v1_BgpFamily__Output } from '../../hvswitch/v1/BgpFamily.js';
import type { MessageCounters as _hvswitch_v1_MessageCounters, MessageCounters__Output as _hvswitch_v1_MessageCounters__Output } from '../../hvswitch/v1/MessageCounters.js';
import type { PrefixCounters as _hvswitch_v1_PrefixCounters, PrefixCounters__Output as _hvswitch_v1_PrefixCounters__Output } from '../../hvswitch/v1/PrefixCounters.js';
import type { NegotiatedCapabilities as _hvswitch_v1_NegotiatedCapabilities, NegotiatedCapabilities__Output as _hvswitch_v1_NegotiatedCapabilities__Output } from '../../hvswitch/v1/NegotiatedCapabilities.js';
import type { GracefulRestartState as _hvswitch_v1_GracefulRestartState, GracefulRestartState__Output as _hvswitch_v1_GracefulRestartState__Output } from '../../hvswitch/v1/GracefulRestartState.js';
import type { UpdateErrorCounters as _hvswitch_v1_UpdateErrorCounters, UpdateErrorCounters__Output as _hvswitch_v1_UpdateErrorCounters__Output } from '../../hvswitch/v1/UpdateErrorCounters.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A neighbor's session as the speaker sees it (answers only).
 */
export interface PeerState {
  'sessionState'?: (_hvswitch_v1_SessionState);
  'reason'?: (_hvswitch_v1_FsmEvent);
  /**
   * NOTIFICATION sent/received, decode error
   */
  'lastError'?: (string);
  /**
   * 0 unless Established
   */
  'uptimeSeconds'?: (number | string | Long);
  /**
   * times it left Established
   */
  'flaps'?: (number);
  /**
   * the peer's BGP identifier
   */
  'remoteId'?: (string);
  /**
   * negotiated, s
   */
  'holdTime'?: (number);
  /**
   * negotiated, s
   */
  'keepalive'?: (number);
  /**
   * negotiated
   */
  'families'?: (_hvswitch_v1_BgpFamily)[];
  'received'?: (_hvswitch_v1_MessageCounters | null);
  'sent'?: (_hvswitch_v1_MessageCounters | null);
  'prefixes'?: (_hvswitch_v1_PrefixCounters)[];
  'capabilities'?: (_hvswitch_v1_NegotiatedCapabilities | null);
  'gracefulRestart'?: (_hvswitch_v1_GracefulRestartState | null);
  'updateErrors'?: (_hvswitch_v1_UpdateErrorCounters | null);
  /**
   * our end of the session
   */
  'localAddress'?: (string);
}

/**
 * A neighbor's session as the speaker sees it (answers only).
 */
export interface PeerState__Output {
  'sessionState': (_hvswitch_v1_SessionState__Output);
  'reason': (_hvswitch_v1_FsmEvent__Output);
  /**
   * NOTIFICATION sent/received, decode error
   */
  'lastError': (string);
  /**
   * 0 unless Established
   */
  'uptimeSeconds': (number);
  /**
   * times it left Established
   */
  'flaps': (number);
  /**
   * the peer's BGP identifier
   */
  'remoteId': (string);
  /**
   * negotiated, s
   */
  'holdTime': (number);
  /**
   * negotiated, s
   */
  'keepalive': (number);
  /**
   * negotiated
   */
  'families': (_hvswitch_v1_BgpFamily__Output)[];
  'received': (_hvswitch_v1_MessageCounters__Output | null);
  'sent': (_hvswitch_v1_MessageCounters__Output | null);
  'prefixes': (_hvswitch_v1_PrefixCounters__Output)[];
  'capabilities': (_hvswitch_v1_NegotiatedCapabilities__Output | null);
  'gracefulRestart': (_hvswitch_v1_GracefulRestartState__Output | null);
  'updateErrors': (_hvswitch_v1_UpdateErrorCounters__Output | null);
  /**
   * our end of the session
   */
  'localAddress': (string);
}
