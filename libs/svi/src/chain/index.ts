export type { ChainRow, ChainParseResult } from './chain-row.ts';
export { parseDeribitOrderBookLines } from './deribit-order-book.ts';
export { parseTardisOptionsChain, splitCsvLine, TARDIS_OPTIONS_CHAIN_HEADER } from './tardis-options-chain.ts';
export { parseChainLines, detectChainFormat } from './parse-chain.ts';
export type { ChainFormat } from './parse-chain.ts';
export { buildExpiries, latestPerSymbol } from './build-expiries.ts';
export type { IvSource } from './build-expiries.ts';
