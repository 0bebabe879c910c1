import { NavLink, Outlet } from 'react-router';
import { useSession } from './session.js';
import { ErrorBox } from './components/error-box.js';
import { useAction } from './use-action.js';

const sections: readonly { to: string; label: string; admin?: boolean }[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/endpoints', label: 'Endpoints' },
  { to: '/vulnerabilities', label: 'Vulnerabilities' },
  { to: '/entra-coverage', label: 'Entra coverage' },
  { to: '/cloud/posture', label: 'Cloud posture' },
  { to: '/cloud/resources', label: 'Cloud resources' },
  { to: '/cloud/assessments', label: 'Cloud assessments' },
  { to: '/cloud/findings', label: 'Cloud findings' },
  { to: '/patches', label: 'Patches' },
  { to: '/strategies', label: 'Patch strategies' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/incidents', label: 'Incidents' },
  { to: '/actions', label: 'Actions' },
  { to: '/hunting', label: 'Advanced hunting' },
  { to: '/integrations', label: 'Integrations' },
  { to: '/audit-log', label: 'Audit log', admin: true },
  { to: '/users', label: 'Users', admin: true },
  { to: '/tokens', label: 'API tokens' },
];

function UserMenu() {
  const { session, signOut } = useSession();
  const { error, run } = useAction();
  if (session === null || session === undefined) return null;
  return (
    <div className="user-menu" aria-label="User menu" role="group">
      <span className="user-name">{session.username}</span>
      <span className="user-role">{session.role}</span>
      <button
        type="button"
        onClick={() => {
          run(signOut);
        }}
      >
        Sign out
      </button>
      <ErrorBox error={error} />
    </div>
  );
}

/** The first stop of the Tab key: past the header and the sections, to the page itself. */
function SkipLink() {
  return (
    <a
      className="skip-link"
      href="#content"
      onClick={(event) => {
        // Focus, not a #content fragment in the URL: the URL keeps naming the view (and back stays where it was).
        event.preventDefault();
        document.getElementById('content')?.focus();
      }}
    >
      Skip to content
    </a>
  );
}

export function Layout() {
  const { may } = useSession();
  return (
    <div className="shell">
      <SkipLink />
      <header className="top">
        <span className="brand">defender-hub</span>
        <UserMenu />
      </header>
      <nav className="side" aria-label="Sections">
        <ul>
          {sections
            .filter((s) => s.admin !== true || may('admin'))
            .map((s) => (
              <li key={s.to}>
                <NavLink to={s.to} end={s.to === '/'}>
                  {s.label}
                </NavLink>
              </li>
            ))}
        </ul>
      </nav>
      <main className="content" id="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
