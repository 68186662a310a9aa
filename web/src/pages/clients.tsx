import { ClientSearch } from '../components/client-search.tsx';
import { usePageTitle } from '../hooks.ts';

export function ClientsPage() {
  const heading = usePageTitle('Clients');
  return (
    <div className="page">
      <h1 ref={heading} tabIndex={-1}>
        Clients
      </h1>
      <section className="card">
        <ClientSearch listAll />
      </section>
    </div>
  );
}
