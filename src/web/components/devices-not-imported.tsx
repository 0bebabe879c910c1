import { formatCount } from '../format.js';

/**
 * How many devices with vulnerabilities are not endpoints (filtered out by the import filters, or their machine
 * records unread), and what that means on this page: `counted` says where their findings show, or that they are
 * not listed. Nothing when there are none.
 */
export function DevicesNotImportedNote({ count, counted }: { count: number | undefined; counted: string }) {
  if (count === undefined || count === 0) return null;
  return (
    <p className="note" role="note" aria-label="Devices not imported">
      {formatCount(count)} {count === 1 ? 'device' : 'devices'} with vulnerabilities{' '}
      {count === 1 ? 'is' : 'are'} not imported as endpoints (left out by the import filters, or their machine
      records cannot be read): {counted}.
    </p>
  );
}
