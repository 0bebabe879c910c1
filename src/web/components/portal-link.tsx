import type { ReactNode } from 'react';

/** A link into the Defender portal, in a new tab: every record leads back to where Defender shows it. */
export function PortalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  );
}
