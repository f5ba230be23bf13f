import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AddPathRequest as _hvswitch_v1_AddPathRequest, AddPathRequest__Output as _hvswitch_v1_AddPathRequest__Output } from './hvswitch/v1/AddPathRequest.js';
import type { AddPathResponse as _hvswitch_v1_AddPathResponse, AddPathResponse__Output as _hvswitch_v1_AddPathResponse__Output } from './hvswitch/v1/AddPathResponse.js';
import type { AddPeerRequest as _hvswitch_v1_AddPeerRequest, AddPeerRequest__Output as _hvswitch_v1_AddPeerRequest__Output } from './hvswitch/v1/AddPeerRequest.js';
import type { AddPeerResponse as _hvswitch_v1_AddPeerResponse, AddPeerResponse__Output as _hvswitch_v1_AddPeerResponse__Output } from './hvswitch/v1/AddPeerResponse.js';
import type { Aggregator as _hvswitch_v1_Aggregator, Aggregator__Output as _hvswitch_v1_Aggregator__Output } from './hvswitch/v1/Aggregator.js';
import type { AsSegment as _hvswitch_v1_AsSegment, AsSegment__Output as _hvswitch_v1_AsSegment__Output } from './hvswitch/v1/AsSegment.js';
import type { BgpServiceClient as _hvswitch_v1_BgpServiceClient, BgpServiceDefinition as _hvswitch_v1_BgpServiceDefinition } from './hvswitch/v1/BgpService.js';
import type { DeletePathRequest as _hvswitch_v1_DeletePathRequest, DeletePathRequest__Output as _hvswitch_v1_DeletePathRequest__Output } from './hvswitch/v1/DeletePathRequest.js';
import type { DeletePathResponse as _hvswitch_v1_DeletePathResponse, DeletePathResponse__Output as _hvswitch_v1_DeletePathResponse__Output } from './hvswitch/v1/DeletePathResponse.js';
import type { DeletePeerRequest as _hvswitch_v1_DeletePeerRequest, DeletePeerRequest__Output as _hvswitch_v1_DeletePeerRequest__Output } from './hvswitch/v1/DeletePeerRequest.js';
import type { DeletePeerResponse as _hvswitch_v1_DeletePeerResponse, DeletePeerResponse__Output as _hvswitch_v1_DeletePeerResponse__Output } from './hvswitch/v1/DeletePeerResponse.js';
import type { EvpnEthernetAd as _hvswitch_v1_EvpnEthernetAd, EvpnEthernetAd__Output as _hvswitch_v1_EvpnEthernetAd__Output } from './hvswitch/v1/EvpnEthernetAd.js';
import type { EvpnEthernetSegment as _hvswitch_v1_EvpnEthernetSegment, EvpnEthernetSegment__Output as _hvswitch_v1_EvpnEthernetSegment__Output } from './hvswitch/v1/EvpnEthernetSegment.js';
import type { EvpnIpPrefix as _hvswitch_v1_EvpnIpPrefix, EvpnIpPrefix__Output as _hvswitch_v1_EvpnIpPrefix__Output } from './hvswitch/v1/EvpnIpPrefix.js';
import type { EvpnMacIp as _hvswitch_v1_EvpnMacIp, EvpnMacIp__Output as _hvswitch_v1_EvpnMacIp__Output } from './hvswitch/v1/EvpnMacIp.js';
import type { EvpnMulticast as _hvswitch_v1_EvpnMulticast, EvpnMulticast__Output as _hvswitch_v1_EvpnMulticast__Output } from './hvswitch/v1/EvpnMulticast.js';
import type { EvpnOpaque as _hvswitch_v1_EvpnOpaque, EvpnOpaque__Output as _hvswitch_v1_EvpnOpaque__Output } from './hvswitch/v1/EvpnOpaque.js';
import type { GetPeerRequest as _hvswitch_v1_GetPeerRequest, GetPeerRequest__Output as _hvswitch_v1_GetPeerRequest__Output } from './hvswitch/v1/GetPeerRequest.js';
import type { GetPeerResponse as _hvswitch_v1_GetPeerResponse, GetPeerResponse__Output as _hvswitch_v1_GetPeerResponse__Output } from './hvswitch/v1/GetPeerResponse.js';
import type { GracefulRestartConf as _hvswitch_v1_GracefulRestartConf, GracefulRestartConf__Output as _hvswitch_v1_GracefulRestartConf__Output } from './hvswitch/v1/GracefulRestartConf.js';
import type { GracefulRestartState as _hvswitch_v1_GracefulRestartState, GracefulRestartState__Output as _hvswitch_v1_GracefulRestartState__Output } from './hvswitch/v1/GracefulRestartState.js';
import type { IpPrefix as _hvswitch_v1_IpPrefix, IpPrefix__Output as _hvswitch_v1_IpPrefix__Output } from './hvswitch/v1/IpPrefix.js';
import type { ListPathRequest as _hvswitch_v1_ListPathRequest, ListPathRequest__Output as _hvswitch_v1_ListPathRequest__Output } from './hvswitch/v1/ListPathRequest.js';
import type { ListPathResponse as _hvswitch_v1_ListPathResponse, ListPathResponse__Output as _hvswitch_v1_ListPathResponse__Output } from './hvswitch/v1/ListPathResponse.js';
import type { ListPeerRequest as _hvswitch_v1_ListPeerRequest, ListPeerRequest__Output as _hvswitch_v1_ListPeerRequest__Output } from './hvswitch/v1/ListPeerRequest.js';
import type { ListPeerResponse as _hvswitch_v1_ListPeerResponse, ListPeerResponse__Output as _hvswitch_v1_ListPeerResponse__Output } from './hvswitch/v1/ListPeerResponse.js';
import type { MessageCounters as _hvswitch_v1_MessageCounters, MessageCounters__Output as _hvswitch_v1_MessageCounters__Output } from './hvswitch/v1/MessageCounters.js';
import type { NegotiatedCapabilities as _hvswitch_v1_NegotiatedCapabilities, NegotiatedCapabilities__Output as _hvswitch_v1_NegotiatedCapabilities__Output } from './hvswitch/v1/NegotiatedCapabilities.js';
import type { Nlri as _hvswitch_v1_Nlri, Nlri__Output as _hvswitch_v1_Nlri__Output } from './hvswitch/v1/Nlri.js';
import type { Path as _hvswitch_v1_Path, Path__Output as _hvswitch_v1_Path__Output } from './hvswitch/v1/Path.js';
import type { PathAttributes as _hvswitch_v1_PathAttributes, PathAttributes__Output as _hvswitch_v1_PathAttributes__Output } from './hvswitch/v1/PathAttributes.js';
import type { Peer as _hvswitch_v1_Peer, Peer__Output as _hvswitch_v1_Peer__Output } from './hvswitch/v1/Peer.js';
import type { PeerConf as _hvswitch_v1_PeerConf, PeerConf__Output as _hvswitch_v1_PeerConf__Output } from './hvswitch/v1/PeerConf.js';
import type { PeerState as _hvswitch_v1_PeerState, PeerState__Output as _hvswitch_v1_PeerState__Output } from './hvswitch/v1/PeerState.js';
import type { PmsiTunnel as _hvswitch_v1_PmsiTunnel, PmsiTunnel__Output as _hvswitch_v1_PmsiTunnel__Output } from './hvswitch/v1/PmsiTunnel.js';
import type { PrefixCounters as _hvswitch_v1_PrefixCounters, PrefixCounters__Output as _hvswitch_v1_PrefixCounters__Output } from './hvswitch/v1/PrefixCounters.js';
import type { ResetPeerRequest as _hvswitch_v1_ResetPeerRequest, ResetPeerRequest__Output as _hvswitch_v1_ResetPeerRequest__Output } from './hvswitch/v1/ResetPeerRequest.js';
import type { ResetPeerResponse as _hvswitch_v1_ResetPeerResponse, ResetPeerResponse__Output as _hvswitch_v1_ResetPeerResponse__Output } from './hvswitch/v1/ResetPeerResponse.js';
import type { RouteTargetMembership as _hvswitch_v1_RouteTargetMembership, RouteTargetMembership__Output as _hvswitch_v1_RouteTargetMembership__Output } from './hvswitch/v1/RouteTargetMembership.js';
import type { UnknownAttribute as _hvswitch_v1_UnknownAttribute, UnknownAttribute__Output as _hvswitch_v1_UnknownAttribute__Output } from './hvswitch/v1/UnknownAttribute.js';
import type { UpdateErrorCounters as _hvswitch_v1_UpdateErrorCounters, UpdateErrorCounters__Output as _hvswitch_v1_UpdateErrorCounters__Output } from './hvswitch/v1/UpdateErrorCounters.js';
import type { VpnPrefix as _hvswitch_v1_VpnPrefix, VpnPrefix__Output as _hvswitch_v1_VpnPrefix__Output } from './hvswitch/v1/VpnPrefix.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hvswitch: {
    v1: {
      AddPathRequest: MessageTypeDefinition<_hvswitch_v1_AddPathRequest, _hvswitch_v1_AddPathRequest__Output>
      AddPathResponse: MessageTypeDefinition<_hvswitch_v1_AddPathResponse, _hvswitch_v1_AddPathResponse__Output>
      AddPeerRequest: MessageTypeDefinition<_hvswitch_v1_AddPeerRequest, _hvswitch_v1_AddPeerRequest__Output>
      AddPeerResponse: MessageTypeDefinition<_hvswitch_v1_AddPeerResponse, _hvswitch_v1_AddPeerResponse__Output>
      Aggregator: MessageTypeDefinition<_hvswitch_v1_Aggregator, _hvswitch_v1_Aggregator__Output>
      AsSegment: MessageTypeDefinition<_hvswitch_v1_AsSegment, _hvswitch_v1_AsSegment__Output>
      AsSegmentType: EnumTypeDefinition
      BgpFamily: EnumTypeDefinition
      BgpService: SubtypeConstructor<typeof grpc.Client, _hvswitch_v1_BgpServiceClient> & { service: _hvswitch_v1_BgpServiceDefinition }
      DeletePathRequest: MessageTypeDefinition<_hvswitch_v1_DeletePathRequest, _hvswitch_v1_DeletePathRequest__Output>
      DeletePathResponse: MessageTypeDefinition<_hvswitch_v1_DeletePathResponse, _hvswitch_v1_DeletePathResponse__Output>
      DeletePeerRequest: MessageTypeDefinition<_hvswitch_v1_DeletePeerRequest, _hvswitch_v1_DeletePeerRequest__Output>
      DeletePeerResponse: MessageTypeDefinition<_hvswitch_v1_DeletePeerResponse, _hvswitch_v1_DeletePeerResponse__Output>
      EvpnEthernetAd: MessageTypeDefinition<_hvswitch_v1_EvpnEthernetAd, _hvswitch_v1_EvpnEthernetAd__Output>
      EvpnEthernetSegment: MessageTypeDefinition<_hvswitch_v1_EvpnEthernetSegment, _hvswitch_v1_EvpnEthernetSegment__Output>
      EvpnIpPrefix: MessageTypeDefinition<_hvswitch_v1_EvpnIpPrefix, _hvswitch_v1_EvpnIpPrefix__Output>
      EvpnMacIp: MessageTypeDefinition<_hvswitch_v1_EvpnMacIp, _hvswitch_v1_EvpnMacIp__Output>
      EvpnMulticast: MessageTypeDefinition<_hvswitch_v1_EvpnMulticast, _hvswitch_v1_EvpnMulticast__Output>
      EvpnOpaque: MessageTypeDefinition<_hvswitch_v1_EvpnOpaque, _hvswitch_v1_EvpnOpaque__Output>
      FsmEvent: EnumTypeDefinition
      GetPeerRequest: MessageTypeDefinition<_hvswitch_v1_GetPeerRequest, _hvswitch_v1_GetPeerRequest__Output>
      GetPeerResponse: MessageTypeDefinition<_hvswitch_v1_GetPeerResponse, _hvswitch_v1_GetPeerResponse__Output>
      GracefulRestartConf: MessageTypeDefinition<_hvswitch_v1_GracefulRestartConf, _hvswitch_v1_GracefulRestartConf__Output>
      GracefulRestartState: MessageTypeDefinition<_hvswitch_v1_GracefulRestartState, _hvswitch_v1_GracefulRestartState__Output>
      IpPrefix: MessageTypeDefinition<_hvswitch_v1_IpPrefix, _hvswitch_v1_IpPrefix__Output>
      ListPathRequest: MessageTypeDefinition<_hvswitch_v1_ListPathRequest, _hvswitch_v1_ListPathRequest__Output>
      ListPathResponse: MessageTypeDefinition<_hvswitch_v1_ListPathResponse, _hvswitch_v1_ListPathResponse__Output>
      ListPeerRequest: MessageTypeDefinition<_hvswitch_v1_ListPeerRequest, _hvswitch_v1_ListPeerRequest__Output>
      ListPeerResponse: MessageTypeDefinition<_hvswitch_v1_ListPeerResponse, _hvswitch_v1_ListPeerResponse__Output>
      MessageCounters: MessageTypeDefinition<_hvswitch_v1_MessageCounters, _hvswitch_v1_MessageCounters__Output>
      NegotiatedCapabilities: MessageTypeDefinition<_hvswitch_v1_NegotiatedCapabilities, _hvswitch_v1_NegotiatedCapabilities__Output>
      Nlri: MessageTypeDefinition<_hvswitch_v1_Nlri, _hvswitch_v1_Nlri__Output>
      Origin: EnumTypeDefinition
      Path: MessageTypeDefinition<_hvswitch_v1_Path, _hvswitch_v1_Path__Output>
      PathAttributes: MessageTypeDefinition<_hvswitch_v1_PathAttributes, _hvswitch_v1_PathAttributes__Output>
      Peer: MessageTypeDefinition<_hvswitch_v1_Peer, _hvswitch_v1_Peer__Output>
      PeerConf: MessageTypeDefinition<_hvswitch_v1_PeerConf, _hvswitch_v1_PeerConf__Output>
      PeerState: MessageTypeDefinition<_hvswitch_v1_PeerState, _hvswitch_v1_PeerState__Output>
      PmsiTunnel: MessageTypeDefinition<_hvswitch_v1_PmsiTunnel, _hvswitch_v1_PmsiTunnel__Output>
      PrefixCounters: MessageTypeDefinition<_hvswitch_v1_PrefixCounters, _hvswitch_v1_PrefixCounters__Output>
      ResetPeerRequest: MessageTypeDefinition<_hvswitch_v1_ResetPeerRequest, _hvswitch_v1_ResetPeerRequest__Output>
      ResetPeerResponse: MessageTypeDefinition<_hvswitch_v1_ResetPeerResponse, _hvswitch_v1_ResetPeerResponse__Output>
      RouteTargetMembership: MessageTypeDefinition<_hvswitch_v1_RouteTargetMembership, _hvswitch_v1_RouteTargetMembership__Output>
      SessionState: EnumTypeDefinition
      TableType: EnumTypeDefinition
      UnknownAttribute: MessageTypeDefinition<_hvswitch_v1_UnknownAttribute, _hvswitch_v1_UnknownAttribute__Output>
      UpdateErrorCounters: MessageTypeDefinition<_hvswitch_v1_UpdateErrorCounters, _hvswitch_v1_UpdateErrorCounters__Output>
      VpnPrefix: MessageTypeDefinition<_hvswitch_v1_VpnPrefix, _hvswitch_v1_VpnPrefix__Output>
    }
  }
}

