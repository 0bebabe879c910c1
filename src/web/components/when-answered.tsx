import type { ReactNode } from 'react';

/**
 * The children once every request has answered (with data or an error), a placeholder before. A page made of
 * several answers appears whole: shown one by one as they came, each would push the others down.
 */
export function WhenAnswered({
  requests,
  children,
}: {
  requests: readonly { readonly data: unknown; readonly error: Error | undefined }[];
  children: ReactNode;
}) {
  if (requests.every((r) => r.data !== undefined || r.error !== undefined)) return children;
  return (
    <p className="placeholder" role="status">
      Loading…
    </p>
  );
}
