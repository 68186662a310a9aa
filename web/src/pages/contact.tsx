import { api } from '../api.ts';
import { AddressHistory } from '../components/address-timeline.tsx';
import { Facts, RoleTags } from '../components/facts.tsx';
import { SourceLinks } from '../components/source-links.tsx';
import { formatDate, formatDateTime, formatPhone } from '../format.ts';
import { usePageTitle, useResource } from '../hooks.ts';
import { Link } from '../router.tsx';

export function ContactPage({ id }: { id: string }) {
  const contact = useResource(`contact:${id}`, () => api.contact(id));
  const p = contact.data;
  const name = p ? [p.title, p.firstName, p.lastName].filter(Boolean).join(' ') : null;
  const heading = usePageTitle(name ?? 'Contact');
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link href="/contacts">Contacts</Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {name ?? (contact.error ? 'Contact not found' : 'Contact')}
      </h1>
      {contact.error && <p role="alert">{contact.error}</p>}
      {!p && !contact.error && <p className="muted">Loading…</p>}
      {p && (
        <>
          <section className="card" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            <Facts
              items={[
                ['Email', p.email && <a href={`mailto:${p.email}`}>{p.email}</a>],
                ['Phone', p.phone && <a href={`tel:${p.phone}`}>{formatPhone(p.phone)}</a>],
                ['Date of birth', p.dateOfBirth && formatDate(p.dateOfBirth)],
                ['NI number', p.niNumber],
                ['In BrightClient since', formatDateTime(p.createdAt)],
              ]}
            />
          </section>
          <SourceLinks sources={p.sources} record={p} noun="contact" />
          <section className="card" aria-labelledby="clients-title">
            <h2 id="clients-title">Clients</h2>
            <ul className="contact-list">
              {p.clients.map((c) => (
                <li key={c.id}>
                  <Link href={`/clients/${c.id}`}>{c.name}</Link>
                  <RoleTags roles={c.roles} />
                  <span className="muted">{c.clientReference}</span>
                </li>
              ))}
            </ul>
          </section>
          <AddressHistory addresses={p.addresses} />
        </>
      )}
    </div>
  );
}
