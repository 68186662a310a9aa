import { ContactSearch } from '../components/client-search.tsx';
import { usePageTitle } from '../hooks.ts';

export function ContactsPage() {
  const heading = usePageTitle('Contacts');
  return (
    <div className="page">
      <h1 ref={heading} tabIndex={-1}>
        Contacts
      </h1>
      <section className="card">
        <ContactSearch listAll />
      </section>
    </div>
  );
}
