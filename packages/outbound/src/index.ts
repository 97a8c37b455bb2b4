export { ADDRESS_CLASSES, classifyAddress, isIpLiteral, parseIPv4, parseIPv6, type AddressClass } from "./addresses";
export {
  checkAddress,
  checkUrl,
  refusal,
  REFUSAL_CODES,
  type OutboundPolicy,
  type OutboundRefusal,
  type RefusalCode,
  type UrlVerdict,
  type Verdict,
} from "./policy";
export {
  assessOutboundUrl,
  createOutboundFetch,
  OutboundRefusedError,
  systemResolve,
  type OutboundFetch,
  type OutboundOptions,
  type Resolve,
  type ResolvedAddress,
} from "./fetch";
