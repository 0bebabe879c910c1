import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken } from './api.js';
import type { Role, Session } from './api-types.js';
import { roleAllows } from '../domain/roles.js';

interface SessionState {
  /** undefined while the hub is asked; null when nobody is signed in. */
  readonly session: Session | null | undefined;
  readonly signIn: (username: string, password: string) => Promise<void>;
  readonly signOut: () => Promise<void>;
  /** Whether the signed-in user holds at least `role`. */
  readonly may: (role: Role) => boolean;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>();
  const queries = useQueryClient();
  // Signed out, the answers cached for the user go with them: the next one to sign in may see less.
  const forget = useCallback(() => {
    setCsrfToken(undefined);
    setSession(null);
    queries.removeQueries();
  }, [queries]);

  const load = useCallback(async () => {
    try {
      const current = await api<Session>('GET', '/session');
      setCsrfToken(current.csrfToken ?? undefined);
      setSession(current);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      forget();
    }
  }, [forget]);

  useEffect(() => {
    void load();
    // Any API answer of 401 (an expired session) brings the sign-in page back.
    window.addEventListener('dh:signed-out', forget);
    return () => {
      window.removeEventListener('dh:signed-out', forget);
    };
  }, [load, forget]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      await api('POST', '/session', { username, password });
      await load();
    },
    [load],
  );
  const signOut = useCallback(async () => {
    await api('DELETE', '/session');
    forget();
  }, [forget]);
  const may = useCallback(
    (role: Role) => session !== null && session !== undefined && roleAllows(session.role, role),
    [session],
  );
  return (
    <SessionContext.Provider value={{ session, signIn, signOut, may }}>{children}</SessionContext.Provider>
  );
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (state === undefined) throw new Error('useSession outside SessionProvider');
  return state;
}
