// The application: who is signed in, and which page the address shows.
import { useEffect, useState } from 'react';
import { api, onSignedOut, type User } from './api.ts';
import { Layout } from './components/layout.tsx';
import { usePageTitle } from './hooks.ts';
import { ClientPage } from './pages/client.tsx';
import { ClientsPage } from './pages/clients.tsx';
import { ContactPage } from './pages/contact.tsx';
import { ContactsPage } from './pages/contacts.tsx';
import { FailuresPage } from './pages/failures.tsx';
import { HomePage } from './pages/home.tsx';
import { ImportPage } from './pages/import.tsx';
import { MatchesPage } from './pages/matches.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { Link, match, navigate, useLocation } from './router.tsx';

type SessionState =
  { kind: 'loading' } | { kind: 'signed-out' } | { kind: 'signed-in'; user: User } | { kind: 'unreachable'; message: string };

export function App() {
  const [session, setSession] = useState<SessionState>({ kind: 'loading' });
  const { path } = useLocation();

  useEffect(() => {
    api.currentUser().then(
      (user) => setSession(user ? { kind: 'signed-in', user } : { kind: 'signed-out' }),
      (error: unknown) => setSession({ kind: 'unreachable', message: error instanceof Error ? error.message : String(error) }),
    );
    return onSignedOut(() => setSession({ kind: 'signed-out' }));
  }, []);

  switch (session.kind) {
    case 'loading':
      return null;
    case 'unreachable':
      return (
        <main id="main" className="sign-in">
          <p role="alert">BrightClient cannot be reached: {session.message}</p>
        </main>
      );
    case 'signed-out':
      // The address is kept: after signing in the user lands where they were going.
      return <SignInPage onSignedIn={(user) => setSession({ kind: 'signed-in', user })} />;
    case 'signed-in': {
      const signOut = async () => {
        await api.signOut().catch(() => {});
        setSession({ kind: 'signed-out' });
        navigate('/');
      };
      return (
        <Layout user={session.user} onSignOut={() => void signOut()}>
          <Page path={path} user={session.user} />
        </Layout>
      );
    }
  }
}

function Page({ path, user }: { path: string; user: User }) {
  let params: Record<string, string> | null;
  if (path === '/' || path === '/sign-in') return <HomePage user={user} />;
  if (path === '/clients') return <ClientsPage />;
  if (path === '/contacts') return <ContactsPage />;
  if (path === '/failures') return <FailuresPage />;
  if (path === '/matches') return <MatchesPage />;
  if ((params = match('/clients/:id', path))) return <ClientPage key={params.id} id={params.id!} />;
  if ((params = match('/contacts/:id', path))) return <ContactPage key={params.id} id={params.id!} />;
  if ((params = match('/imports/:id', path))) return <ImportPage key={params.id} id={params.id!} />;
  return <NotFound />;
}

function NotFound() {
  const heading = usePageTitle('Not found');
  return (
    <div className="page">
      <h1 ref={heading} tabIndex={-1}>
        There is nothing here
      </h1>
      <Link href="/">Go to the home page</Link>
    </div>
  );
}
