import type { Refusal } from '../workflow/core';

/** A request action the rules refuse; routes turn it into a page the person understands. */
export class RequestError extends Error {
  constructor(
    public readonly code:
      'not_found' | 'forbidden' | 'not_editable' | 'stale_version' | 'duplicate_presence' | 'not_an_editor' | 'refused',
    public readonly refusal?: Refusal,
  ) {
    super(refusal ? `refused: ${refusal.code}` : code);
    this.name = 'RequestError';
  }
}
