// The frame of every signed-in page: skip link, header with navigation and the user, and the main landmark.
import type { ReactNode } from 'react';
import type { User } from '../api.ts';
import { Link, useLocation } from '../router.tsx';

export function Layout({ user, onSignOut, children }: { user: User; onSignOut: () => void; children: ReactNode }) {
  const { path } = useLocation();
  const current = (href: string) => (href === '/' ? path === '/' : path.startsWith(href));
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link href="/" className="brand">
            BrightClient
          </Link>
          <nav aria-label="Main">
            <ul>
              <li>
                <Link href="/" aria-current={current('/') ? 'page' : undefined}>
                  Home
                </Link>
              </li>
              <li>
                <Link href="/clients" aria-current={current('/clients') ? 'page' : undefined}>
                  Clients
                </Link>
              </li>
              <li>
                <Link href="/contacts" aria-current={current('/contacts') ? 'page' : undefined}>
                  Contacts
                </Link>
              </li>
              <li>
                <Link href="/failures" aria-current={current('/failures') ? 'page' : undefined}>
                  Failures
                </Link>
              </li>
              <li>
                <Link href="/matches" aria-current={current('/matches') ? 'page' : undefined}>
                  Matches
                </Link>
              </li>
            </ul>
          </nav>
          <div className="user">
            <span className="user-name">
              <span className="practice">{user.practiceName}</span>
              <span className="muted">{user.email}</span>
            </span>
            <button type="button" className="secondary small" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
