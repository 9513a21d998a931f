import type { ChainParseResult } from './chain-row.ts';
import { parseDeribitOrderBookLines } from './deribit-order-book.ts';
import { parseTardisOptionsChain } from './tardis-options-chain.ts';

/** Chain file formats understood by {@link parseChainLines}. */
export type ChainFormat = 'deribit-order-book-jsonl' | 'tardis-options-chain-csv';

/** Detects the format from the first non-blank line: `{` → Deribit JSON lines, else Tardis CSV. */
export function detectChainFormat(lines: readonly string[]): ChainFormat {
  const first = lines.find((l) => l.trim() !== '') ?? '';
  return first.trimStart().startsWith('{') ? 'deribit-order-book-jsonl' : 'tardis-options-chain-csv';
}

/** Parses chain text lines in either supported format (auto-detected unless given). */
export function parseChainLines(lines: readonly string[], format: ChainFormat = detectChainFormat(lines)): ChainParseResult & { format: ChainFormat } {
  const r = format === 'deribit-order-book-jsonl' ? parseDeribitOrderBookLines(lines) : parseTardisOptionsChain(lines);
  return { ...r, format };
}
