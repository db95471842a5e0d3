import type { Directory } from './directory.js';
import type { RemoteDocuments } from './remote-documents.js';
import type { EmulatorState } from './state.js';

/** One RPC call as the wire delivered it, before any action-specific reading. */
export interface RpcRequest {
  method: string;
  path: string;
  /** Query string and form body merged (a name may appear once across both). */
  params: Readonly<Record<string, string>>;
  /** The query string alone: the V3 signature covers only it. */
  query: Readonly<Record<string, string>>;
  /** Header values by lower-case name. */
  headers: Readonly<Record<string, string>>;
  /** The body exactly as received, for the V3 payload hash. */
  rawBody: string;
}

/** What an action handler gets: the request, the RAM directory, run-time state and "now". */
export interface ActionContext {
  request: RpcRequest;
  directory: Directory;
  state: EmulatorState;
  documents: RemoteDocuments;
  /** Epoch ms, read once per request from the injected clock. */
  now: number;
}

/** An STS action: returns the response body without RequestId, or throws an AlibabaError. */
export type ActionHandler = (ctx: ActionContext) => Promise<Record<string, unknown>>;
