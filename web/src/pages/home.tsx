import { useEffect } from 'react';
import { api, type User } from '../api.ts';
import { ActivationPanel } from '../components/activation-panel.tsx';
import { ClientSearch } from '../components/client-search.tsx';
import { FailureBanner } from '../components/failure-banner.tsx';
import { ImportList } from '../components/import-list.tsx';
import { ReviewCallout } from '../components/review-callout.tsx';
import { usePageTitle, useResource } from '../hooks.ts';

const RECENT = 10;

export function HomePage({ user }: { user: User }) {
  const heading = usePageTitle('Home');
  const imports = useResource('recent-imports', () => api.imports(RECENT));
  // New imports appear by themselves; while one is under way the list follows it closely.
  const running = imports.data?.some((i) => i.status === 'receiving' || i.status === 'processing') ?? false;
  useEffect(() => {
    const timer = window.setInterval(imports.reload, running ? 3000 : 15000);
    return () => window.clearInterval(timer);
  }, [running, imports.reload]);

  return (
    <div className="page home">
      <h1 ref={heading} tabIndex={-1}>
        {user.practiceName}
      </h1>
      <FailureBanner />
      <ActivationPanel onActivated={imports.reload} />
      <ReviewCallout />
      <div className="home-grid">
        <section className="card" aria-labelledby="find-title">
          <h2 id="find-title">Find a client</h2>
          <ClientSearch />
        </section>
        <section className="card" aria-labelledby="recent-title">
          <h2 id="recent-title">Recent imports</h2>
          {imports.error && <p role="alert">{imports.error}</p>}
          {!imports.data && !imports.error && <p className="muted">Loading…</p>}
          {imports.data && (
            <ImportList imports={imports.data} empty="No imports yet: they appear here as soon as a source product starts sending." />
          )}
        </section>
      </div>
    </div>
  );
}
